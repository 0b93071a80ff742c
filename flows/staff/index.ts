// The staff conversation's public surface.
export { catalogs, en, type StaffCatalog, staffCatalogFor } from "./catalog";
export { isStaffCommand, staffEventFrom } from "./events";
export {
  RECENT_ANNOUNCEMENTS,
  STAFF_MACHINE,
  type StaffContext,
  type StaffMachine,
  staffMachine,
} from "./staff.machine";
export type * from "./staff.types";
