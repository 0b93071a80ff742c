export { announcementTextFor, digestText } from "./announcement-text";
export { attachmentUrlProblem, MAX_ATTACHMENT_URL_LENGTH } from "./attachment";
export { csvCell, csvLine } from "./csv-export";
export {
  type AnnouncementMode,
  announcementModes,
  type ChannelChoice,
  channelOrderWithFirst,
  chooseAddress,
  DEFAULT_PREFERENCES,
  deliveryModeFor,
  type GuardianAddress,
  type GuardianPreferences,
  orderChannels,
  preferencesFromJson,
} from "./guardian-preferences";
export {
  canOpenTicket,
  canReopen,
  DEFAULT_LIMITS,
  FLOOD_REPEAT_MS,
  FLOOD_WINDOW_MS,
  type GuardrailLimits,
  guardrailLimitsSchema,
  isFlooding,
  isPacedRequest,
  limitsFromSettings,
  type NewTicketKind,
  type NewTicketVerdict,
  type ReopenVerdict,
  type TicketHistory,
  WEEK_MS,
} from "./guardrails";
export {
  allowedStaffMoves,
  canStaffMoveTicket,
  type TicketStatus,
  ticketStatuses,
} from "./lifecycle";
export {
  addDays,
  cachedOffsetAt,
  instantOfLocalTime,
  type LocalTime,
  localTimeOf,
} from "./local-time";
export { normalizePhone } from "./phone";
export {
  DEFAULT_DIGEST_MINUTE,
  DEFAULT_QUIET_HOURS,
  digestMinuteFromSettings,
  latestDigestTime,
  type QuietHours,
  quietHoursEndAt,
  quietHoursFromSettings,
  quietHoursSettingsSchema,
  sendableAt,
} from "./quiet-hours";
export {
  type OfficeFunction,
  officeFunctions,
  type RoutingDecision,
  type RoutingDirectory,
  routeTicket,
  type TicketCategory,
  ticketCategories,
} from "./routing";
export {
  DEFAULT_SLA,
  firstResponseDueAt,
  type SlaPolicy,
  slaFromSettings,
  slaSettingsSchema,
  ticketPriorities,
  workingMsBetween,
  workingTimeCounter,
} from "./sla";
export {
  type AlertTicket,
  categoryLabel,
  excerpt,
  followUpAlert,
  handoverAlert,
  morningSummary,
  newTicketAlert,
  quotedWords,
  type ResolvedWhileHeld,
  type SummaryLine,
  schoolTimeLabel,
  slaBreachNotice,
  slaReminder,
  ticketLine,
  waitLabel,
  waitPhrase,
  whoAbout,
} from "./staff-alert-text";
export {
  type AlertMode,
  type AlertPreferences,
  alertDelivery,
  alertModes,
  alertPreferencesFrom,
  alertPreferencesSchema,
  DEFAULT_ALERT_PREFERENCES,
  DEFAULT_SLA_REMINDER_MINUTES,
  dueMorningSummaryAt,
  FOLLOW_UP_ALERT_WINDOW_MS,
  MAX_SLA_REMINDER_MINUTES,
  memberQuietHours,
  presentAlertPreferences,
  presentQuietHours,
  type StaffAlertSettings,
  slaReminderMinutesFrom,
  staffAlertSettingsFrom,
  staffAlertSettingsSchema,
} from "./staff-alerts";
export {
  emptyFiguresCounts,
  type FiguresCounts,
  FiguresTally,
  figuresOf,
  nearestRank,
  type Percentiles,
  type ReportTicket,
  type SchoolClock,
  schoolClock,
  type TicketFigures,
  ticketFigures,
  waitsOf,
} from "./ticket-figures";
export { ticketReference } from "./tickets";
export {
  dateText,
  latestWeeklyReport,
  mondayOf,
  WEEKLY_REPORT_MINUTE,
  type WorstWait,
  weeklyReportText,
} from "./weekly-report";
