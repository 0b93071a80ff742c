// The zod schemas of the /v1 API: they validate requests and produce GET /v1/openapi.json.
import { z } from "@hono/zod-openapi";
import { ticketCategories, ticketPriorities, ticketStatuses } from "../../domain";
import { ticketSorts } from "../../services/ticket-order";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "Ticket not found" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export const errorResponses = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 422 | 429)[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: errorDescriptions[status],
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );

const errorDescriptions = {
  400: "Malformed request (for example, invalid JSON)",
  401: "Missing, invalid or expired access token",
  403: "Your role may not do this",
  404: "Unknown id, or one that belongs to another school",
  409: "Conflicts with the resource's current state",
  413: "Body larger than 1 MB",
  422: "The body or query failed validation; details list each field",
  429: "Too many requests; see Retry-After",
} as const;

export const PhoneBody = z
  .object({ phone: z.string().min(5).max(32).openapi({ example: "+14155550180" }) })
  .openapi("CodeRequest");

export const VerifyBody = z
  .object({
    phone: z.string().min(5).max(32).openapi({ example: "+14155550180" }),
    code: z
      .string()
      .regex(/^\s*\d{6}\s*$/, "must be the 6-digit code")
      .openapi({ example: "123456" }),
  })
  .openapi("CodeVerification");

export const CodeRequested = z
  .object({ status: z.literal("sent"), message: z.string() })
  .openapi("CodeRequested");

export const StaffSchema = z
  .object({
    id: z.number().int(),
    schoolId: z.number().int(),
    name: z.string(),
    role: z.enum(["teacher", "office", "admin"]),
    officeFunction: z.enum(["accounts", "transport", "front"]).nullable(),
  })
  .openapi("Staff");

export const TokenSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal("Bearer"),
    expiresIn: z.number().int().openapi({ description: "Seconds until the access token expires" }),
    refreshToken: z.string().openapi({
      description:
        "Opaque; exchange it at POST /v1/auth/refresh for a new pair. Each one works once: presenting a spent one signs out every session it came from.",
    }),
    staff: StaffSchema,
  })
  .openapi("AccessToken");

export const RefreshBody = z
  .object({ refreshToken: z.string().min(20).max(200) })
  .openapi("RefreshRequest");

export const TicketSummarySchema = z
  .object({
    id: z.number().int(),
    reference: z.string().openapi({ example: "T-1042" }),
    status: z.enum(ticketStatuses),
    category: z.enum(ticketCategories),
    priority: z.enum(ticketPriorities),
    assigneeStaffId: z.number().int().nullable(),
    student: z.object({ id: z.number().int(), name: z.string(), className: z.string() }).nullable(),
    guardian: z.object({ id: z.number().int(), name: z.string() }),
    channel: z.string(),
    routingReason: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    firstResponseDueAt: z.string().nullable().openapi({
      format: "date-time",
      description: "When the first staff answer is due under the school's SLA",
    }),
    slaBreached: z.boolean().openapi({
      description: "The first answer came late, or has not come and is overdue",
    }),
    rating: z.number().int().nullable().openapi({ description: "The parent's 1-5 rating" }),
    ratingComment: z
      .string()
      .nullable()
      .openapi({ description: "What the parent wrote at the rating prompt" }),
  })
  .openapi("TicketSummary");

export const TicketMessageSchema = z
  .object({
    id: z.number().int(),
    authorType: z.enum(["parent", "staff", "system"]),
    authorStaffId: z.number().int().nullable(),
    body: z.string(),
    internal: z.boolean(),
    attachments: z.array(z.object({ url: z.string(), contentType: z.string().optional() })),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("TicketMessage");

export const TicketDetailSchema = TicketSummarySchema.extend({
  messages: z.array(TicketMessageSchema),
  guardrails: z.object({
    openTickets: z.number().int().openapi({ description: "The guardian's open tickets now" }),
    maxOpenTickets: z.number().int(),
  }),
}).openapi("TicketDetail");

export const TicketListQuery = z.object({
  status: z.enum(ticketStatuses).optional(),
  category: z.enum(ticketCategories).optional(),
  assignee: z
    .union([z.literal("me"), z.coerce.number().int().positive()])
    .optional()
    .openapi({ description: '"me" or a staff id' }),
  student: z.coerce.number().int().positive().optional(),
  guardian: z.coerce.number().int().positive().optional(),
  class: z.coerce.number().int().positive().optional(),
  createdFrom: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Created at or after" }),
  q: z.string().trim().min(1).max(200).optional().openapi({
    description: "Words to find in the ticket's messages (each as a prefix)",
  }),
  createdTo: z.iso.datetime({ offset: true }).optional().openapi({ description: "Created before" }),
  slaBreached: z.enum(["true", "false"]).optional().openapi({
    description: "Only tickets that breached (true) or kept (false) the first-response SLA",
  }),
  sort: z.enum(ticketSorts).default("-created").openapi({
    description:
      "-created (default), created, -updated, updated, priority (urgent first, then oldest)",
  }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor returned by a previous page")
    .optional()
    .openapi({ description: "nextCursor from the previous page, with the same sort" }),
});

export const TicketListSchema = z
  .object({ tickets: z.array(TicketSummarySchema), nextCursor: z.string().nullable() })
  .openapi("TicketList");

/** A ticket by its id (1) or its reference (T-1001). */
export const TicketIdParam = z.object({
  id: z
    .string()
    .regex(/^(\d+|T-\d+)$/i, "must be a ticket id (1) or reference (T-1001)")
    .openapi({ param: { name: "id", in: "path" }, example: "T-1001" }),
});

export const ReplyBody = z
  .object({
    body: z.string().trim().min(1, "must not be empty").max(4000).optional(),
    cannedReplyId: z.number().int().positive().optional().openapi({
      description: "Send this canned reply instead of a body, with {parent} and {child} filled in",
    }),
  })
  .refine((reply) => (reply.body === undefined) !== (reply.cannedReplyId === undefined), {
    message: "give either body or cannedReplyId",
  })
  .openapi("ReplyRequest");

export const ReplySchema = z
  .object({
    id: z.number().int(),
    ticketId: z.number().int(),
    reference: z.string(),
    status: z.enum(ticketStatuses),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Reply");

export const TicketPatchBody = z
  .object({
    status: z.enum(ticketStatuses).optional().openapi({
      description:
        "open → in_progress / waiting_for_parent → resolved → closed. Reopening is the parent's, through the chat.",
    }),
    assigneeStaffId: z.number().int().positive().optional(),
    category: z.enum(ticketCategories).optional().openapi({ description: "Re-routes the ticket" }),
    priority: z.enum(ticketPriorities).optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "change at least one of status, assigneeStaffId, category, priority",
  })
  .openapi("TicketPatch");

export const GuardianIdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" }, example: 1 }),
});

export const GuardrailStateSchema = z
  .object({
    rule: z.enum(["open_tickets", "cooldown", "weekly", "messages"]),
    count: z.number().int(),
    limit: z.number().int().openapi({
      description: "open_tickets/weekly/messages: how many; cooldown: minutes between new tickets",
    }),
    freesAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("GuardrailState");

export const GuardianGuardrailsSchema = z
  .object({
    guardianId: z.number().int(),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
    rules: z.array(GuardrailStateSchema),
  })
  .openapi("GuardianGuardrails");

export const GuardrailCheckBody = z
  .object({ guardianId: z.number().int().positive() })
  .openapi("GuardrailCheckRequest");

export const GuardrailCheckSchema = z
  .object({
    allowed: z.boolean(),
    rule: z.enum(["open_tickets", "cooldown", "weekly"]).optional(),
    limit: z.number().int().optional(),
    retryAt: z.string().optional().openapi({ format: "date-time" }),
    openReferences: z.array(z.string()).optional(),
  })
  .openapi("GuardrailCheck");

export const NoteBody = z
  .object({ body: z.string().trim().min(1, "must not be empty").max(4000) })
  .openapi("NoteRequest");

export const NoteSchema = z
  .object({
    id: z.number().int(),
    ticketId: z.number().int(),
    internal: z.literal(true),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Note");

export const GuardianFlagSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    flagged: z.boolean(),
    flaggedAt: z.string().nullable().openapi({ format: "date-time" }),
    flagReason: z.string().nullable(),
  })
  .openapi("GuardianFlag");

export const GuardianListQuery = z.object({
  flagged: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "Only flagged (true) or unflagged (false) guardians" }),
});

export const FlagBody = z
  .object({ reason: z.string().trim().min(3, "say why, in a few words").max(500) })
  .openapi("FlagRequest");
