export {
  ANNOUNCEMENT_JOBS_INTERVAL_MS,
  AnnouncementJobs,
  type AnnouncementJobsRun,
} from "./announcement-jobs";
