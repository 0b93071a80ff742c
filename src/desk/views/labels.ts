// Words the desk shows for the domain's values, and the school-time formatting of dates.
export const statusLabels: Record<string, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_for_parent: "Waiting for parent",
  resolved: "Resolved",
  closed: "Closed",
};

export const categoryLabels: Record<string, string> = {
  academics: "Academics",
  attendance: "Attendance",
  fees: "Fees",
  transport: "Transport",
  other: "Other",
};

export const deliveryLabels: Record<string, string> = {
  pending: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  undelivered: "Not delivered",
  failed: "Failed",
  dead: "Failed",
};

// The staff chat's names for channels; the admin's undelivered messages page keeps the channel's
// own name instead, which is what configuration says.
export {
  channelName as channelLabel,
  familiesByChannel,
} from "../../../flows/staff/channel-names";

/** A date as people at the school read it ("Mon 23 Nov, 09:05"). */
export function schoolTime(at: number | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(at));
}
