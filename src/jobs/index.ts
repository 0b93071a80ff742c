export {
  ANNOUNCEMENT_JOBS_INTERVAL_MS,
  AnnouncementJobs,
  type AnnouncementJobsRun,
} from "./announcement-jobs";
export {
  STAFF_ALERT_JOBS_INTERVAL_MS,
  StaffAlertJobs,
  type StaffAlertJobsRun,
} from "./staff-alert-jobs";
export { createUpkeepJobs, DEDUPE_PRUNE_INTERVAL_MS, type UpkeepJobs } from "./upkeep-jobs";
