// Who gets a new ticket: category → class teacher or office function, else the school's admin.
import type { Assignee } from "../../flows/parent";

export const ticketCategories = ["academics", "attendance", "fees", "transport", "other"] as const;
export type TicketCategory = (typeof ticketCategories)[number];
export const officeFunctions = ["accounts", "transport", "front"] as const;
export type OfficeFunction = (typeof officeFunctions)[number];

export interface RoutingDirectory {
  /** The class teacher of the child's class, when the ticket concerns a child. */
  classTeacher?: { id: number; label: Assignee };
  office: Partial<Record<OfficeFunction, { id: number; label: Assignee }>>;
  admin?: { id: number; label: Assignee };
}

export interface RoutingDecision {
  staffId: number | null;
  /** Who it went to, as facts the parent is told in their language ("Ms Rao, class teacher of 5A"). */
  assignee: Assignee;
  /** Why, as stored on the ticket for staff. */
  reason: string;
}

const officeFor: Partial<Record<TicketCategory, OfficeFunction>> = {
  fees: "accounts",
  transport: "transport",
  other: "front",
};

export function routeTicket(
  category: TicketCategory,
  directory: RoutingDirectory,
  options: { flagged?: boolean; urgent?: boolean } = {},
): RoutingDecision {
  const toAdmin = (reason: string): RoutingDecision => ({
    staffId: directory.admin?.id ?? null,
    assignee: directory.admin?.label ?? { role: "school" },
    reason,
  });
  if (options.flagged) return toAdmin("guardian is flagged: admin handles their tickets");
  if (options.urgent) {
    const front = directory.office.front;
    if (front) return { staffId: front.id, assignee: front.label, reason: "urgent: front office" };
    return toAdmin("urgent, and no front office is mapped");
  }
  if (category === "academics" || category === "attendance") {
    const teacher = directory.classTeacher;
    if (teacher) {
      return {
        staffId: teacher.id,
        assignee: teacher.label,
        reason: `${category}: class teacher`,
      };
    }
    return toAdmin(`${category}: no class teacher is mapped`);
  }
  const officeFunction = officeFor[category] ?? "front";
  const office = directory.office[officeFunction];
  if (office) {
    return {
      staffId: office.id,
      assignee: office.label,
      reason: `${category}: ${officeFunction} office`,
    };
  }
  return toAdmin(`${category}: no ${officeFunction} office is mapped`);
}
