// /v1/announcements: admins (anywhere in their school) and teachers (their own classes) announce
// to families, now or at a time; everyone on the staff sees what became of each announcement.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { MAX_ATTACHMENT_URL_LENGTH } from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { AnnouncementRefusal } from "../../services/announcement-audience";
import {
  type AnnouncementView,
  getAnnouncement,
  listAnnouncements,
  listRecipients,
  recipientStates,
  SKIP_REASONS,
} from "../../services/announcement-reports";
import {
  type AnnouncementDraft,
  cancelAnnouncement,
  createAnnouncement,
  MAX_ANNOUNCEMENT_LENGTH,
  previewAnnouncement,
} from "../../services/announcement-sending";
import type { ServiceDeps } from "../../services/deps";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { "application/json": { schema } },
});

const names = (what: string, max: number) =>
  z.array(z.string().trim().min(1).max(50)).min(1, `name at least one ${what}`).max(max);

export const AudienceSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("school") }),
    z.object({
      kind: z.literal("grades"),
      grades: names("grade", 20).openapi({ example: ["5"] }),
    }),
    z.object({
      kind: z.literal("classes"),
      classes: names("class", 200).openapi({ example: ["5A", "5B"] }),
    }),
    z.object({
      kind: z.literal("students"),
      admissionNumbers: names("admission number", 5000).openapi({ example: ["GF-2024-001"] }),
    }),
  ])
  .openapi("AnnouncementAudience", {
    description:
      "Whole school, grades, classes (by name) or students (by admission number). Unknown names are refused with 422, naming them.",
  });

const skipCounts = z.object(
  Object.fromEntries(SKIP_REASONS.map((reason) => [reason, z.number().int()])) as Record<
    (typeof SKIP_REASONS)[number],
    z.ZodNumber
  >,
);

const CountsSchema = z
  .object({
    recipients: z.number().int().openapi({ description: "Guardians in the audience" }),
    pending: z
      .number()
      .int()
      .openapi({ description: "Queued or being sent, plus waiting for a daily digest" }),
    waitingForDigest: z.number().int().openapi({ description: "Of pending: held for the digest" }),
    sent: z.number().int().openapi({ description: "Accepted by the provider (sent ⊇ delivered)" }),
    delivered: z.number().int().openapi({ description: "Delivered or read (delivered ⊇ read)" }),
    read: z.number().int(),
    failed: z.number().int().openapi({ description: "Undelivered, failed or given up (dead)" }),
    skipped: skipCounts.openapi({ description: "Not sent, by why" }),
    byChannel: z.record(z.string(), z.number().int()),
  })
  .openapi("AnnouncementCounts");

const AttachmentSchema = z
  .object({
    url: z
      .url({ protocol: /^https$/, hostname: z.regexes.domain, error: "must be an https:// link" })
      .max(MAX_ATTACHMENT_URL_LENGTH)
      .openapi({ example: "https://school.example/newsletter.pdf" }),
    contentType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf")
      .optional()
      .openapi({ example: "application/pdf" }),
  })
  .openapi("AnnouncementAttachment", {
    description:
      "A photo or document sent with the text: a public https link the providers fetch themselves",
  });

const AnnouncementSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(["scheduled", "sending", "sent", "cancelled"]),
    audience: AudienceSchema,
    text: z.string(),
    attachment: AttachmentSchema.nullable(),
    urgent: z.boolean(),
    scheduledAt: z.string().nullable().openapi({ format: "date-time" }),
    createdAt: z.string().openapi({ format: "date-time" }),
    authorStaffId: z.number().int(),
    counts: CountsSchema,
  })
  .openapi("Announcement");

const RecipientSchema = z
  .object({
    guardianId: z.number().int(),
    name: z.string(),
    channel: z.string().nullable(),
    status: z.enum(recipientStates),
    skippedReason: z.enum(SKIP_REASONS).nullable(),
    lastError: z.string().nullable(),
  })
  .openapi("AnnouncementRecipient");

const CreateBody = z
  .object({
    audience: AudienceSchema,
    text: z.string().trim().min(1, "must not be empty").max(MAX_ANNOUNCEMENT_LENGTH),
    attachment: AttachmentSchema.optional(),
    urgent: z.boolean().default(false).openapi({
      description: "Goes at once: through quiet hours, digests and 'off'",
    }),
    scheduledAt: z.iso.datetime({ offset: true }).optional().openapi({
      description: "Send at this time instead of now; must be in the future",
    }),
  })
  .openapi("AnnouncementRequest");

const CreateHeaders = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/, "must be 1 to 100 visible ASCII characters")
    .optional()
    .openapi({
      description:
        "Any value unique to this announcement (a UUID, say). Sending the request again with the same key (a retry after a timeout, a double click) returns the announcement the first one made, with `Idempotent-Replayed: true`, and sends nothing twice; the same key with a different body is refused with 422.",
    }),
});

const PreviewBody = z
  .object({
    audience: AudienceSchema,
    urgent: z.boolean().default(false),
    // Accepted (and checked) so a client can preview the very body it will post; it reaches the
    // same families either way.
    attachment: AttachmentSchema.optional(),
  })
  .openapi("AnnouncementPreviewRequest");

const PreviewSchema = z
  .object({
    guardians: z.number().int().openapi({ description: "Guardians (families) in the audience" }),
    reached: z.number().int().openapi({ description: "Guardians it will reach" }),
    byChannel: z.record(z.string(), z.number().int()),
    digest: z.number().int().openapi({ description: "Of reached: in their daily digest" }),
    unreachable: skipCounts,
  })
  .openapi("AnnouncementPreview");

const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" }, example: 1 }),
});
const cursor = z.string().regex(/^\d+$/, "must be a cursor returned by a previous page").optional();
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor });
const RecipientQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor,
});

const routes = {
  create: createRoute({
    method: "post",
    path: "/",
    tags: ["Announcements"],
    summary: "Announce to families now, or at scheduledAt (admins; teachers to their own classes)",
    security,
    request: { headers: CreateHeaders, body: { ...json(CreateBody), required: true } },
    responses: {
      201: {
        description:
          "Created: sending, or scheduled (or made earlier under the same Idempotency-Key)",
        ...json(AnnouncementSchema),
      },
      ...errorResponses(400, 401, 403, 413, 422),
    },
  }),
  preview: createRoute({
    method: "post",
    path: "/preview",
    tags: ["Announcements"],
    summary: "How many families an audience reaches, by channel, and how many it cannot",
    security,
    request: { body: { ...json(PreviewBody), required: true } },
    responses: {
      200: { description: "The preview; nothing is written", ...json(PreviewSchema) },
      ...errorResponses(400, 401, 403, 413, 422),
    },
  }),
  list: createRoute({
    method: "get",
    path: "/",
    tags: ["Announcements"],
    summary: "The school's announcements, newest first, with counts",
    security,
    request: { query: ListQuery },
    responses: {
      200: {
        description: "One page",
        ...json(
          z
            .object({
              announcements: z.array(AnnouncementSchema),
              nextCursor: z.string().nullable(),
            })
            .openapi("AnnouncementList"),
        ),
      },
      ...errorResponses(401, 422),
    },
  }),
  get: createRoute({
    method: "get",
    path: "/{id}",
    tags: ["Announcements"],
    summary: "One announcement: counts, and each recipient's status (paginated by cursor)",
    security,
    request: { params: IdParam, query: RecipientQuery },
    responses: {
      200: {
        description: "The announcement and one page of recipients",
        ...json(
          AnnouncementSchema.extend({
            recipients: z.array(RecipientSchema),
            nextCursor: z.string().nullable(),
          }).openapi("AnnouncementDetail"),
        ),
      },
      ...errorResponses(401, 404, 422),
    },
  }),
  cancel: createRoute({
    method: "post",
    path: "/{id}/cancel",
    tags: ["Announcements"],
    summary: "Cancel a scheduled announcement (admins; teachers their own); 409 once sending",
    security,
    request: { params: IdParam },
    responses: {
      200: { description: "Cancelled", ...json(AnnouncementSchema) },
      ...errorResponses(401, 403, 404, 409, 422),
    },
  }),
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(view: AnnouncementView) {
  return {
    ...view,
    scheduledAt: iso(view.scheduledAt),
    createdAt: new Date(view.createdAt).toISOString(),
  };
}

/** Whether an announcement made earlier under a request's Idempotency-Key is what it asks for. */
function asksFor(made: AnnouncementView, draft: AnnouncementDraft): boolean {
  const asked = [draft.audience, draft.text, draft.attachment ?? null, draft.urgent ?? false];
  const have = [made.audience, made.text, made.attachment, made.urgent];
  return (
    JSON.stringify(asked) === JSON.stringify(have) &&
    (draft.scheduledAt ?? null) === made.scheduledAt
  );
}

function refused(refusal: AnnouncementRefusal): never {
  throw new ApiError(refusal.status, refusal.code, refusal.message, refusal.details);
}

export function announcementRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.create, async (c) => {
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const staff = c.get("staff");
      const draft: AnnouncementDraft = {
        audience: body.audience,
        text: body.text,
        ...(body.attachment ? { attachment: body.attachment } : {}),
        urgent: body.urgent,
        ...(body.scheduledAt ? { scheduledAt: Date.parse(body.scheduledAt) } : {}),
        // Keys are the member's own: another member's same key makes another announcement.
        ...(key ? { sourceKey: `api:staff-${staff.staffId}:${key}` } : {}),
      };
      const result = await createAnnouncement(deps, staff, draft);
      if (!result.ok) refused(result);
      if (result.replayed) {
        if (!asksFor(result.announcement, draft))
          throw new ApiError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different announcement; use a new key for a new one",
          );
        c.header("idempotent-replayed", "true");
      }
      return c.json(present(result.announcement), 201);
    })
    .openapi(routes.preview, async (c) => {
      const body = c.req.valid("json");
      const result = await previewAnnouncement(deps, c.get("staff"), body.audience, {
        urgent: body.urgent,
      });
      if (!result.ok) refused(result);
      return c.json(result.preview, 200);
    })
    .openapi(routes.list, async (c) => {
      const query = c.req.valid("query");
      const page = await listAnnouncements(deps, c.get("staff").schoolId, {
        limit: query.limit,
        ...(query.cursor ? { before: Number(query.cursor) } : {}),
      });
      return c.json(
        { announcements: page.announcements.map(present), nextCursor: page.nextCursor },
        200,
      );
    })
    .openapi(routes.get, async (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const view = await getAnnouncement(deps, c.get("staff").schoolId, id);
      if (!view) throw notFound("Announcement");
      const page = listRecipients(deps, id, {
        limit: query.limit,
        ...(query.cursor ? { after: Number(query.cursor) } : {}),
      });
      return c.json({ ...present(view), ...page }, 200);
    })
    .openapi(routes.cancel, async (c) => {
      const result = await cancelAnnouncement(deps, c.get("staff"), c.req.valid("param").id);
      if (!result.ok) refused(result);
      return c.json(present(result.announcement), 200);
    });
}
