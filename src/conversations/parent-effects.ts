// The parent machine's effects for one step, over the database: reads run now, writes are planned
// into the step's unit of work so they commit with the new snapshot and the replies.
import { eq } from "drizzle-orm";
import { fromPromise } from "xstate";
import { schema } from "../../db";
import type {
  AnnouncementLine,
  Assignee,
  CheckCodeResult,
  CreateTicketResult,
  FollowUp,
  IdentifyResult,
  OpenTicketSummary,
  ParentSettings,
  ReopenResult,
  RequestCheck,
  SendCodeResult,
  SettingsChange,
  TicketDraft,
  TicketRefusal,
  VerifiedGuardian,
} from "../../flows/parent";
import { catalogFor } from "../../flows/parent";
import {
  channelOrderWithFirst,
  type NewTicketVerdict,
  normalizePhone,
  orderChannels,
  type TicketCategory,
} from "../domain";

import { maskPhone } from "../logger";
import type { UnitOfWork } from "../outbox/unit-of-work";
import { listLatestAnnouncements } from "../services/announcements";
import type { StepAddress } from "../services/conversation-signal";
import type { ServiceDeps } from "../services/deps";
import {
  findGuardianByAdmissionNumber,
  findGuardianByPhone,
  findVerifiedGuardianId,
  type GuardianProfile,
  loadGuardianProfile,
} from "../services/directory";
import {
  getPreferences,
  type PreferencesView,
  planPreferences,
} from "../services/guardian-preferences";
import { checkNewTicket } from "../services/guardrails";
import { checkCode, issueCode, phoneDestination } from "../services/one-time-codes";
import { planRating, planRatingComment, planReopen } from "../services/ticket-lifecycle";
import {
  listOpenTicketsOfGuardian,
  planParentFollowUp,
  planParentTicket,
  ticketToKeepIn,
} from "../services/tickets";
import { formatDateTime, formatDay, formatTime } from "./parent-dates";
import { stepOf } from "./step-context";

const toVerifiedGuardian = (profile: GuardianProfile): VerifiedGuardian => ({
  guardianId: profile.guardianId,
  schoolId: profile.schoolId,
  firstName: profile.firstName,
  schoolName: profile.schoolName,
  officePhone: profile.officePhone,
  language: profile.language,
  children: profile.children.map(({ id, name, className }) => ({ id, name, className })),
});

/** The settings the parent sees: the channels they can be reached on, in the order tried. */
const settingsOf = (view: PreferencesView): ParentSettings => ({
  announcements: view.announcements,
  channels: reachableChannels(view),
});

const reachableChannels = (view: PreferencesView) =>
  orderChannels(
    view.channels.filter((entry) => !entry.optedOut),
    view.channelOrder,
  );

type RefusedVerdict = Exclude<NewTicketVerdict, { allowed: true }>;

/** The parent machine's effects over the database; each finds its step through stepOf(system). */
export function parentEffects(deps: ServiceDeps) {
  const conversationKey = (here: StepAddress) => `${here.channel}:${here.address}`;

  /** What the parent needs to hear about a refusal, in their school's time zone. */
  async function describeRefusal(
    verdict: RefusedVerdict,
    schoolId: number,
    language: string | undefined,
  ): Promise<TicketRefusal> {
    const [school] = await deps.db
      .select({ timezone: schema.schools.timezone })
      .from(schema.schools)
      .where(eq(schema.schools.id, schoolId));
    const timezone = school?.timezone ?? "UTC";
    switch (verdict.rule) {
      case "open_tickets":
        return {
          rule: "open_tickets",
          limit: verdict.limit,
          openReferences: verdict.openReferences,
        };
      case "cooldown":
        return {
          rule: "cooldown",
          minutesLeft: Math.max(1, Math.ceil((verdict.retryAt - deps.now()) / 60_000)),
          until: formatTime(verdict.retryAt, timezone, language),
        };
      case "weekly":
        return {
          rule: "weekly",
          limit: verdict.limit,
          nextDate: formatDay(verdict.retryAt, timezone, language),
        };
    }
  }

  /** A phone number or a child's admission number → the guardian phone on the school's record. */
  async function lookUpPhone(candidate: string | null): Promise<IdentifyResult> {
    if (!candidate) return { status: "unknown" };
    const phone = normalizePhone(candidate, deps.config.defaultCountry);
    const guardian = phone ? await findGuardianByPhone(deps.db, phone) : null;
    if (phone && guardian)
      return {
        status: "on_file",
        phone,
        officePhone: guardian.officePhone,
        schoolName: guardian.schoolName,
      };
    const byAdmission = await findGuardianByAdmissionNumber(deps.db, candidate);
    if (byAdmission) return { status: "on_file", ...byAdmission };
    return { status: "unknown" };
  }

  /** The order with `first` leading, worked out from the stored one as it is now. */
  async function channelOrderAfter(schoolId: number, guardianId: number, first: string) {
    const view = await getPreferences(deps, schoolId, guardianId);
    if (!view) throw new Error("settings changed for a guardian that is not the school's");
    return channelOrderWithFirst(first, reachableChannels(view), view.channelOrder);
  }

  return {
    identify: fromPromise<
      IdentifyResult,
      { channel: string; address: string; sharedPhone?: string }
    >(async ({ input }) => {
      const guardianId = await findVerifiedGuardianId(
        deps.db,
        input.channel,
        input.address,
        deps.now(),
      );
      const profile = guardianId ? await loadGuardianProfile(deps.db, guardianId) : null;
      if (profile) return { status: "linked", guardian: toVerifiedGuardian(profile) };
      const addressIsPhone = deps.phoneChannels().includes(input.channel);
      const found = await lookUpPhone(input.sharedPhone ?? (addressIsPhone ? input.address : null));
      return found.status === "unknown" && addressIsPhone ? { ...found, addressIsPhone } : found;
    }),

    findPhoneOnFile: fromPromise<IdentifyResult, { text: string }>(({ input }) =>
      lookUpPhone(input.text),
    ),

    sendCode: fromPromise<SendCodeResult, { phone: string; language?: string }>(
      async ({ input, system }) => {
        const { uow, here } = stepOf(system);
        const guardian = await findGuardianByPhone(deps.db, input.phone);
        const destination = phoneDestination(deps.phoneChannels(), input.phone, here.channel);
        if (!guardian || !destination) throw new Error("no guardian or no channel for the code");
        const result = await issueCode(
          deps,
          uow,
          {
            purpose: "guardian",
            phone: input.phone,
            schoolId: guardian.schoolId,
            guardianId: guardian.id,
            conversationKey: conversationKey(here),
          },
          destination,
          // A parent who switched language before verifying gets the code in it.
          catalogFor(input.language ?? guardian.language).codeMessage(),
        );
        return result.status === "sent"
          ? { status: "sent", maskedPhone: maskPhone(input.phone) }
          : {
              status: "rate_limited",
              retryAt: formatDateTime(result.retryAt, guardian.timezone, input.language),
            };
      },
    ),

    checkCode: fromPromise<CheckCodeResult, { phone: string; code: string; language?: string }>(
      async ({ input, system }) => {
        const { uow, here } = stepOf(system);
        const result = await checkCode(
          deps,
          uow,
          { purpose: "guardian", phone: input.phone, conversationKey: conversationKey(here) },
          input.code,
        );
        if (result.status !== "verified") return result;
        const profile = result.guardianId
          ? await loadGuardianProfile(deps.db, result.guardianId)
          : null;
        if (!profile) throw new Error("verified code without a guardian");
        planIdentityLink(deps, uow, here, profile);
        const language = input.language ?? profile.language;
        if (language !== profile.language) planLanguage(deps, uow, profile.guardianId, language);
        return { status: "verified", guardian: { ...toVerifiedGuardian(profile), language } };
      },
    ),

    createTicket: fromPromise<CreateTicketResult, TicketDraft>(async ({ input, system }) => {
      const { uow, here } = stepOf(system);
      const result = await planParentTicket(deps, uow, {
        ...input,
        category: input.category as TicketCategory,
        channel: here.channel,
        address: here.address,
      });
      if (result.status === "created") return result;
      const refusal = await describeRefusal(result.verdict, input.schoolId, input.language);
      return { status: "refused", refusal, keptIn: result.keptIn };
    }),

    checkNewRequest: fromPromise<
      RequestCheck,
      { guardianId: number; schoolId: number; category: string; urgent: boolean; language?: string }
    >(async ({ input }) => {
      const { verdict } = await checkNewTicket(deps.db, input, deps.now(), input);
      if (verdict.allowed) return { allowed: true };
      return {
        allowed: false,
        refusal: await describeRefusal(verdict, input.schoolId, input.language),
        keepIn: await ticketToKeepIn(deps.db, input.guardianId),
      };
    }),

    listOpenTickets: fromPromise<OpenTicketSummary[], { guardianId: number }>(({ input }) =>
      listOpenTicketsOfGuardian(deps.db, input.guardianId),
    ),

    addToTicket: fromPromise<{ reference: string; assignee: Assignee }, FollowUp>(
      ({ input, system }) => planParentFollowUp(deps, stepOf(system).uow, input),
    ),

    listAnnouncements: fromPromise<AnnouncementLine[], { guardianId: number }>(({ input }) =>
      listLatestAnnouncements(deps.db, input.guardianId),
    ),

    rateTicket: fromPromise<
      { rating: number },
      { guardianId: number; reference: string; rating: number }
    >(({ input, system }) => planRating(deps, stepOf(system).uow, input)),

    commentOnRating: fromPromise<
      { reference: string },
      { guardianId: number; reference: string; text: string }
    >(({ input, system }) => planRatingComment(deps, stepOf(system).uow, input)),

    reopenTicket: fromPromise<ReopenResult, { guardianId: number; reference: string }>(
      ({ input, system }) => planReopen(deps, stepOf(system).uow, input),
    ),

    setLanguage: fromPromise<{ language: string }, { guardianId: number; language: string }>(
      async ({ input, system }) => {
        planLanguage(deps, stepOf(system).uow, input.guardianId, input.language);
        return { language: input.language };
      },
    ),

    loadSettings: fromPromise<ParentSettings, { guardianId: number; schoolId: number }>(
      async ({ input }) => {
        const view = await getPreferences(deps, input.schoolId, input.guardianId);
        if (!view) throw new Error("settings asked for a guardian that is not the school's");
        return settingsOf(view);
      },
    ),

    changeSettings: fromPromise<
      ParentSettings,
      { guardianId: number; schoolId: number; change: SettingsChange }
    >(async ({ input, system }) => {
      const { guardianId, schoolId, change } = input;
      const result = await planPreferences(
        deps,
        stepOf(system).uow,
        { type: "guardian", guardianId, schoolId },
        guardianId,
        "firstChannel" in change
          ? { channelOrder: await channelOrderAfter(schoolId, guardianId, change.firstChannel) }
          : change,
      );
      if (!result.ok) throw new Error(`settings change refused: ${result.code}`);
      return settingsOf(result.preferences);
    }),
  };
}

/** The guardian's language, as the parent chose it in the chat. */
function planLanguage(deps: ServiceDeps, uow: UnitOfWork, guardianId: number, language: string) {
  uow.plan(
    deps.db.update(schema.guardians).set({ language }).where(eq(schema.guardians.id, guardianId)),
  );
}

/**
 * Links the chat address to the guardian for VERIFICATION_TTL_DAYS. A staff link on the same
 * address is kept: a phone can be a guardian's and a staff member's (the staff conversation).
 */
function planIdentityLink(
  deps: ServiceDeps,
  uow: UnitOfWork,
  here: StepAddress,
  profile: GuardianProfile,
) {
  const now = deps.now();
  const link = {
    schoolId: profile.schoolId,
    guardianId: profile.guardianId,
    verifiedAt: now,
    expiresAt: now + deps.config.verificationTtlDays * 86_400_000,
  };
  uow.plan(
    deps.db
      .insert(schema.channelIdentities)
      .values({ channel: here.channel, address: here.address, createdAt: now, ...link })
      .onConflictDoUpdate({
        target: [schema.channelIdentities.channel, schema.channelIdentities.address],
        set: link,
      }),
  );
}
