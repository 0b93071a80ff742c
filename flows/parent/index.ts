// The parent conversation's public surface.
export { catalogFor, catalogs, en, type ParentCatalog } from "./catalog";
export { parentEventFrom } from "./events";
export { isGreeting, isThanks, matchOption } from "./options";
export {
  CATEGORIES,
  PARENT_MACHINE,
  type ParentContext,
  type ParentMachine,
  parentMachine,
} from "./parent.machine";
export type * from "./parent.types";
