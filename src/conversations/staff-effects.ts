// The staff machine's effects over the database: verification by one-time code (the parent flow's
// code service, purpose "staff", bound to the conversation), the command parser, and the
// announcement service called as the verified member. Reads run now; the verification's writes are
// planned into the step's unit of work. The announcement service commits on its own.
import { and, eq, sql } from "drizzle-orm";
import { fromPromise } from "xstate";
import { schema } from "../../db";
import type {
  AnnouncementDraftInput,
  AnnouncementSummary,
  Audience,
  CheckCodeResult,
  CreateResult,
  ListResult,
  PreviewResult,
  ReadCommandResult,
  ReadScheduleResult,
  Refusal,
  SendCodeResult,
  StaffIdentifyResult,
  StatsResult,
  VerifiedStaff,
} from "../../flows/staff";
import { staffCatalogFor } from "../../flows/staff";
import { normalizePhone } from "../domain";
import { parseAnnounceCommand, parseAudience, parseScheduleTime } from "../domain/announce-command";
import type { StaffPrincipal } from "../http/app-env";
import { maskPhone } from "../logger";
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { AnnouncementRefusal } from "../services/announcement-audience";
import {
  type AnnouncementView,
  getAnnouncement,
  listAnnouncements,
} from "../services/announcement-reports";
import { createAnnouncement, previewAnnouncement } from "../services/announcement-sending";
import type { StepAddress } from "../services/conversation-signal";
import type { ServiceDeps } from "../services/deps";
import {
  activeStaffPrincipal,
  findActiveStaffByPhone,
  findGuardianByPhone,
  findVerifiedStaffId,
  staffDisplayName,
} from "../services/directory";
import { checkCode, issueCode, phoneDestination } from "../services/one-time-codes";
import { stepOf } from "./step-context";

const { staff, schools, classes, classTeachers, channelIdentities } = schema;

function formatWhen(at: number, timezone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(at);
}

/** The member as the conversation keeps them, or null when inactive or gone. */
async function loadVerifiedStaff(
  deps: ServiceDeps,
  staffId: number,
): Promise<VerifiedStaff | null> {
  const [row] = await deps.db
    .select({ member: staff, school: schools })
    .from(staff)
    .innerJoin(schools, eq(schools.id, staff.schoolId))
    .where(and(eq(staff.id, staffId), eq(staff.active, true)));
  if (!row) return null;
  const taught = await deps.db
    .select({ name: classes.name })
    .from(classTeachers)
    .innerJoin(classes, eq(classes.id, classTeachers.classId))
    .where(eq(classTeachers.staffId, staffId))
    .orderBy(classes.name);
  return {
    staffId,
    schoolId: row.school.id,
    displayName: staffDisplayName(row.member),
    schoolName: row.school.name,
    timezone: row.school.timezone,
    role: row.member.role,
    classes: taught.map((c) => c.name),
    alsoGuardian: (await findGuardianByPhone(deps.db, row.member.phone)) !== null,
  };
}

const inactive: Refusal = { status: "refused", reason: "inactive", message: "staff inactive" };

/** The service's refusals become values the machine answers kindly. */
function refusalFrom(refused: AnnouncementRefusal): Refusal {
  const reason =
    refused.status === 403 ? "not_allowed" : refused.status === 404 ? "not_found" : "invalid";
  return { status: "refused", reason, message: refused.message };
}

/** Runs a service call as the member, read afresh (an inactive member gets a refusal). */
async function asMember<T>(
  deps: ServiceDeps,
  staffId: number,
  call: (principal: StaffPrincipal) => Promise<T>,
): Promise<T | Refusal> {
  // Read afresh on every call: the conversation's snapshot may be days old.
  const principal = await activeStaffPrincipal(deps.db, staffId);
  return principal ? call(principal) : inactive;
}

const isRefusal = (value: unknown): value is Refusal =>
  (value as { status?: unknown }).status === "refused";

async function schoolTimezone(deps: ServiceDeps, schoolId: number): Promise<string> {
  const [school] = await deps.db
    .select({ timezone: schools.timezone })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return school?.timezone ?? "UTC";
}

export function staffEffects(deps: ServiceDeps) {
  const conversationKey = (here: StepAddress) => `${here.channel}:${here.address}`;

  async function summaryOf(view: AnnouncementView, schoolId: number): Promise<AnnouncementSummary> {
    return {
      id: view.id,
      date: formatWhen(view.scheduledAt ?? view.createdAt, await schoolTimezone(deps, schoolId)),
      audience: view.audience,
      text: view.text,
      state: view.status,
      counts: view.counts,
    };
  }

  async function lookUpStaffPhone(candidate: string | null): Promise<StaffIdentifyResult | null> {
    const phone = candidate ? normalizePhone(candidate, deps.config.defaultCountry) : null;
    const member = phone ? await findActiveStaffByPhone(deps.db, phone) : null;
    return phone && member ? { status: "on_file", phone } : null;
  }

  return {
    identifyStaff: fromPromise<
      StaffIdentifyResult,
      { channel: string; address: string; sharedPhone?: string }
    >(async ({ input }) => {
      const staffId = await findVerifiedStaffId(deps.db, input.channel, input.address, deps.now());
      const member = staffId ? await loadVerifiedStaff(deps, staffId) : null;
      if (member) return { status: "linked", staff: member };
      const addressIsPhone = deps.phoneChannels().includes(input.channel);
      const found = await lookUpStaffPhone(
        input.sharedPhone ?? (addressIsPhone ? input.address : null),
      );
      return found ?? { status: "unknown", addressIsPhone };
    }),

    findStaffPhone: fromPromise<StaffIdentifyResult, { text: string }>(
      async ({ input }) =>
        (await lookUpStaffPhone(input.text)) ?? { status: "unknown", addressIsPhone: false },
    ),

    sendStaffCode: fromPromise<SendCodeResult, { phone: string }>(async ({ input, system }) => {
      const { uow, here } = stepOf(system);
      const member = await findActiveStaffByPhone(deps.db, input.phone);
      const destination = phoneDestination(deps.phoneChannels(), input.phone, here.channel);
      if (!member || !destination) throw new Error("no staff member or no channel for the code");
      const result = await issueCode(
        deps,
        uow,
        {
          purpose: "staff",
          phone: input.phone,
          schoolId: member.schoolId,
          staffId: member.id,
          conversationKey: conversationKey(here),
        },
        destination,
        staffCatalogFor().codeMessage(),
      );
      if (result.status === "sent") return { status: "sent", maskedPhone: maskPhone(input.phone) };
      const timezone = await schoolTimezone(deps, member.schoolId);
      const retryAt = new Intl.DateTimeFormat("en-US", {
        timeZone: timezone,
        hour: "numeric",
        minute: "2-digit",
      }).format(result.retryAt);
      return { status: "rate_limited", retryAt };
    }),

    checkStaffCode: fromPromise<CheckCodeResult, { phone: string; code: string }>(
      async ({ input, system }) => {
        const { uow, here } = stepOf(system);
        const result = await checkCode(
          deps,
          uow,
          { purpose: "staff", phone: input.phone, conversationKey: conversationKey(here) },
          input.code,
        );
        if (result.status !== "verified") return result;
        const member = result.staffId ? await loadVerifiedStaff(deps, result.staffId) : null;
        if (!member) throw new Error("verified staff code without an active staff member");
        // The code went to the staff phone; when a guardian has the same phone, it proves that
        // too, so the parent menu opens without a second code.
        const guardian = member.alsoGuardian
          ? await findGuardianByPhone(deps.db, input.phone)
          : null;
        planStaffLink(deps, uow, here, member, guardian?.id ?? null);
        deps.log.info({ staffId: member.staffId, channel: here.channel }, "staff chat verified");
        return { status: "verified", staff: member };
      },
    ),

    readAnnounceCommand: fromPromise<ReadCommandResult, { text: string; timezone: string }>(
      async ({ input }) => {
        const parsed = parseAnnounceCommand(input.text, {
          timezone: input.timezone,
          now: deps.now(),
        });
        if (!parsed.ok) return parsed;
        const command = parsed.value;
        if (command.form === "guided") return { ok: true, form: "guided" };
        return {
          ok: true,
          form: "one-line",
          audience: command.audience,
          text: command.text,
          urgent: command.urgent,
          schedule:
            command.scheduledAt === null
              ? null
              : { at: command.scheduledAt, label: formatWhen(command.scheduledAt, input.timezone) },
        };
      },
    ),

    readAudience: fromPromise<Audience | null, { text: string }>(async ({ input }) =>
      parseAudience(input.text),
    ),

    readScheduleTime: fromPromise<ReadScheduleResult, { text: string; timezone: string }>(
      async ({ input }) => {
        const parsed = parseScheduleTime(input.text, {
          timezone: input.timezone,
          now: deps.now(),
        });
        return parsed.ok
          ? {
              ok: true,
              schedule: { at: parsed.value, label: formatWhen(parsed.value, input.timezone) },
            }
          : parsed;
      },
    ),

    previewAnnouncement: fromPromise<PreviewResult, { staffId: number; audience: Audience }>(
      async ({ input }) => {
        const previewed = await asMember(deps, input.staffId, (principal) =>
          previewAnnouncement(deps, principal, input.audience),
        );
        if (isRefusal(previewed)) return previewed;
        if (!previewed.ok) return refusalFrom(previewed);
        const { guardians, byChannel, unreachable } = previewed.preview;
        return {
          status: "ready",
          families: guardians,
          byChannel,
          unreachable: {
            noChannel: unreachable.no_channel,
            optedOut: unreachable.opted_out,
            off: unreachable.announcements_off,
          },
        };
      },
    ),

    createAnnouncement: fromPromise<CreateResult, AnnouncementDraftInput>(
      async ({ input, system }) => {
        // The announcement commits on its own, before the step does: keyed on the message that
        // confirmed it, a redelivery of that message (after a crash) finds it rather than sending
        // every family a second copy.
        const { messageKey } = stepOf(system);
        const created = await asMember(deps, input.staffId, (principal) =>
          createAnnouncement(deps, principal, {
            audience: input.audience,
            text: input.text,
            ...(input.attachment ? { attachment: input.attachment } : {}),
            urgent: input.urgent,
            ...(input.scheduledAt === null ? {} : { scheduledAt: input.scheduledAt }),
            ...(messageKey ? { sourceKey: messageKey } : {}),
          }),
        );
        if (isRefusal(created)) return created;
        if (!created.ok) return refusalFrom(created);
        const { id, status } = created.announcement;
        deps.log.info(
          { staffId: input.staffId, announcementId: id },
          "announcement created from the staff chat",
        );
        // A fresh announcement is never cancelled yet.
        return { status: "created", id, state: status as Exclude<typeof status, "cancelled"> };
      },
    ),

    listAnnouncements: fromPromise<ListResult, { staffId: number; limit: number }>(
      async ({ input }) => {
        const listed = await asMember(deps, input.staffId, async (principal) => {
          const page = await listAnnouncements(deps, principal.schoolId, { limit: input.limit });
          return Promise.all(page.announcements.map((view) => summaryOf(view, principal.schoolId)));
        });
        return isRefusal(listed) ? listed : { status: "listed", items: listed };
      },
    ),

    getAnnouncementStats: fromPromise<StatsResult, { staffId: number; id: number }>(
      async ({ input }) => {
        const found = await asMember(deps, input.staffId, async (principal) => {
          const view = await getAnnouncement(deps, principal.schoolId, input.id);
          return view ? summaryOf(view, principal.schoolId) : null;
        });
        if (found === null) {
          return { status: "refused", reason: "not_found", message: "no such announcement" };
        }
        return isRefusal(found) ? found : { status: "found", ...found };
      },
    ),
  };
}

/**
 * Links the chat address to the staff member for VERIFICATION_TTL_DAYS, and to the guardian with
 * the same phone if there is one. A guardian link already on the address is kept (a phone can be
 * both), and so is its school.
 */
function planStaffLink(
  deps: ServiceDeps,
  uow: UnitOfWork,
  here: StepAddress,
  member: VerifiedStaff,
  guardianId: number | null,
) {
  const now = deps.now();
  const link = {
    staffId: member.staffId,
    verifiedAt: now,
    expiresAt: now + deps.config.verificationTtlDays * 86_400_000,
    ...(guardianId === null ? {} : { guardianId }),
  };
  uow.plan(
    deps.db
      .insert(channelIdentities)
      .values({
        channel: here.channel,
        address: here.address,
        schoolId: member.schoolId,
        createdAt: now,
        ...link,
      })
      .onConflictDoUpdate({
        target: [channelIdentities.channel, channelIdentities.address],
        set: {
          ...link,
          schoolId: sql`coalesce(${channelIdentities.schoolId}, ${member.schoolId})`,
        },
      }),
  );
}

/**
 * Whether a chat address that has no conversation yet should start in the staff one: it is linked
 * to a staff member, or (on channels that address by phone) it is an active staff member's phone.
 * One statement, asked only when a conversation starts: the parent path pays nothing per message.
 */
export function prepareStaffAddressProbe(deps: Pick<ServiceDeps, "db" | "phoneChannels">) {
  const probe = deps.db.$client.prepare<
    { channel: string; address: string; now: number; byPhone: number },
    { staff: number }
  >(`select (
      exists(select 1 from channel_identities
        where channel = @channel and address = @address and staff_id is not null
          and expires_at > @now)
      or (@byPhone = 1 and exists(select 1 from staff where phone = @address and active = 1))
    ) as staff`);
  return (here: StepAddress, now: number): boolean =>
    probe.get({ ...here, now, byPhone: deps.phoneChannels().includes(here.channel) ? 1 : 0 })
      ?.staff === 1;
}
