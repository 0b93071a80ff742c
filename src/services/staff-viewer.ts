// Who is looking at tickets: a staff member's school, role and office function, and the categories
// each office function sees. Ticket lists and staff events scope what they show by it.
import { and, eq } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { TicketCategory } from "../domain";

const { staff } = schema;

export interface StaffViewer {
  staffId: number;
  schoolId: number;
  role: "teacher" | "office" | "admin";
  officeFunction: "accounts" | "transport" | "front" | null;
}

export async function loadStaffViewer(
  db: Database,
  staffId: number,
  schoolId: number,
): Promise<StaffViewer | null> {
  const [member] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.schoolId, schoolId), eq(staff.active, true)));
  if (!member) return null;
  return {
    staffId: member.id,
    schoolId: member.schoolId,
    role: member.role,
    officeFunction: member.officeFunction,
  };
}

export const categoriesOfOffice = {
  accounts: ["fees"],
  transport: ["transport"],
  front: ["other"],
} satisfies Record<string, TicketCategory[]>;
