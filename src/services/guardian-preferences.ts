// A guardian's notification preferences (channel order; announcements instant, digest or off),
// read and changed by staff on the guardian's behalf or by the parent's own "settings" chat menu.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { schema } from "../../db";
import {
  type AnnouncementMode,
  announcementModes,
  type GuardianPreferences,
  preferencesFromJson,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { guardians, channelIdentities } = schema;

/** The channel names a guardian may list in their order (src/contracts ChannelName). */
export const CHANNEL_NAMES = [
  "whatsapp-cloud",
  "twilio-whatsapp",
  "whatsapp-web",
  "telegram",
  "sms",
  "simulator",
] as const;

/** Who changes preferences: staff on the guardian's behalf, or the guardian in the chat. */
export type PreferencesActor =
  | { type: "staff"; staffId: number; schoolId: number }
  | { type: "guardian"; guardianId: number; schoolId: number };

export interface PreferencesView extends GuardianPreferences {
  guardianId: number;
  /** The guardian's verified chat channels, most recently verified first (addresses withheld). */
  channels: { channel: string; verifiedAt: number; optedOut: boolean }[];
}

export type PreferencesChange = Partial<GuardianPreferences>;

export type PreferencesResult =
  | { ok: true; preferences: PreferencesView }
  | { ok: false; status: 404 | 422; code: string; message: string; details?: unknown };

async function loadStored(deps: Pick<ServiceDeps, "db">, schoolId: number, guardianId: number) {
  const [row] = await deps.db
    .select({ preferences: guardians.preferences })
    .from(guardians)
    .where(and(eq(guardians.id, guardianId), eq(guardians.schoolId, schoolId)));
  return row?.preferences ?? null;
}

async function present(
  deps: Pick<ServiceDeps, "db" | "now">,
  guardianId: number,
  stored: Record<string, unknown>,
): Promise<PreferencesView> {
  const channels = await deps.db
    .select({
      channel: channelIdentities.channel,
      verifiedAt: channelIdentities.verifiedAt,
      optedOutAt: channelIdentities.optedOutAt,
      expiresAt: channelIdentities.expiresAt,
    })
    .from(channelIdentities)
    .where(
      and(eq(channelIdentities.guardianId, guardianId), isNotNull(channelIdentities.verifiedAt)),
    )
    .orderBy(desc(channelIdentities.verifiedAt));
  const now = deps.now();
  return {
    guardianId,
    ...preferencesFromJson(stored),
    channels: channels
      .filter((row) => row.expiresAt === null || row.expiresAt > now)
      .map((row) => ({
        channel: row.channel,
        verifiedAt: row.verifiedAt ?? 0,
        optedOut: row.optedOutAt !== null,
      })),
  };
}

/** The guardian's preferences (defaults where unset); null when not a guardian of this school. */
export async function getPreferences(
  deps: Pick<ServiceDeps, "db" | "now">,
  schoolId: number,
  guardianId: number,
): Promise<PreferencesView | null> {
  const stored = await loadStored(deps, schoolId, guardianId);
  return stored ? present(deps, guardianId, stored) : null;
}

function invalid(message: string, details?: unknown): PreferencesResult {
  return { ok: false, status: 422, code: "invalid_preferences", message, details };
}

/** Checks a change; the chat menu gets the same answers as the API. */
function checkChange(change: PreferencesChange): PreferencesResult | null {
  if (change.announcements !== undefined && !announcementModes.includes(change.announcements))
    return invalid(`announcements must be one of ${announcementModes.join(", ")}`);
  if (change.channelOrder !== undefined) {
    const unknown = change.channelOrder.filter(
      (channel) => !(CHANNEL_NAMES as readonly string[]).includes(channel),
    );
    if (unknown.length > 0)
      return invalid(`Unknown channel: ${unknown.join(", ")}`, {
        unknownChannels: unknown,
        channels: CHANNEL_NAMES,
      });
    if (new Set(change.channelOrder).size !== change.channelOrder.length)
      return invalid("channelOrder names a channel twice");
  }
  return null;
}

/**
 * Changes the given preferences (the others stay as they were), audited with before and after.
 * Keys of guardians.preferences that other features own are kept.
 */
export async function setPreferences(
  deps: Pick<ServiceDeps, "db" | "now">,
  actor: PreferencesActor,
  guardianId: number,
  change: PreferencesChange,
): Promise<PreferencesResult> {
  const uow = new UnitOfWork();
  const result = await planPreferences(deps, uow, actor, guardianId, change);
  if (result.ok) await uow.commit(deps.db);
  return result;
}

/**
 * setPreferences planned into a unit of work the caller commits: the parent's chat writes the
 * change with the conversation's step (its snapshot and replies), all or nothing.
 */
export async function planPreferences(
  deps: Pick<ServiceDeps, "db" | "now">,
  uow: UnitOfWork,
  actor: PreferencesActor,
  guardianId: number,
  change: PreferencesChange,
): Promise<PreferencesResult> {
  const refused = checkChange(change);
  if (refused) return refused;
  const stored = await loadStored(deps, actor.schoolId, guardianId);
  if (!stored) return { ok: false, status: 404, code: "not_found", message: "Guardian not found" };
  const before = preferencesFromJson(stored);
  const after: GuardianPreferences = {
    channelOrder: change.channelOrder ?? before.channelOrder,
    announcements: change.announcements ?? before.announcements,
  };
  const next = { ...stored, ...after };
  uow.plan(
    deps.db.update(guardians).set({ preferences: next }).where(eq(guardians.id, guardianId)),
  );
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: actor.type,
    actorId: actor.type === "staff" ? actor.staffId : actor.guardianId,
    action: "guardian.preferences",
    entity: "guardian",
    entityId: String(guardianId),
    before,
    after,
  });
  return { ok: true, preferences: await present(deps, guardianId, next) };
}

export type { AnnouncementMode, GuardianPreferences };
