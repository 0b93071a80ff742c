// What the parent conversation remembers between messages, and the version its snapshots carry.
import type { Option, ParentInput, VerifiedGuardian } from "./parent.types";

/**
 * Persisted with every snapshot; a change of states or context shape bumps the version. New
 * states and events alone do not: every snapshot of this version still restores (the settings
 * states came so, their choices travel in `offered` like every other question's). `restores`
 * lists the older versions whose snapshots this one reads as they are: version 3 adds only
 * optional context (`language`, `schoolName`, `maskedPhone`) and states, so a version 2
 * conversation resumes where it was.
 */
export const PARENT_MACHINE = { name: "parent", version: 3, restores: [2] } as const;

export const CATEGORIES = ["academics", "attendance", "fees", "transport", "other"] as const;

export interface ParentContext extends ParentInput {
  guardian: VerifiedGuardian | null;
  /** The phone on the school's record that codes go to (never the address unless it is on file). */
  phoneOnFile: string | null;
  officePhone: string | undefined;
  /**
   * A new conversation opened with HELP: once the school is known, the answer is its help line
   * (carriers require HELP to name a contact) before verification goes on. Absent in old snapshots.
   */
  helpAsked?: boolean;
  /** The language chosen before verification ("hola", "español"); the guardian's wins after. */
  language?: string;
  /** The school of the phone on file, for HELP before verification. */
  schoolName?: string;
  /** Where the last code went, masked, to say again without sending another. */
  maskedPhone?: string;
  /** The options offered by the last question, so a reply of "2" or a label can be matched. */
  offered: Option[];
  /** Tickets staff resolved, waiting to be put to the parent for a rating (oldest first). */
  resolutions: { reference: string; by: string }[];
  draft: {
    studentId: number | null;
    category: string | null;
    text: string | null;
    media: { url: string }[];
    urgent: boolean;
  };
}
