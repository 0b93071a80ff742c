// POST/PATCH /v1/classes, /v1/students, /v1/guardians, /v1/staff: the admin keeps the school's
// directory. Admin only (403 before any lookup), audited, 409 on a taken name, admission
// number or phone, 422 on an invalid body or an id of another school inside it.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import {
  type DirectoryWriteResult,
  saveClass,
  saveGuardian,
  saveStaff,
  saveStudent,
} from "../../services/directory-admin";
import {
  findGuardianView,
  listClasses,
  listStaff,
  listStudents,
} from "../../services/school-directory";
import { ClassSchema, StaffMemberSchema, StudentSchema } from "./directory";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const name = z.string().trim().min(1, "must not be empty").max(80);
const atLeastOne = (value: object) => Object.values(value).some((v) => v !== undefined);
const nothingToChange = { message: "change at least one field" };

const ClassBody = z
  .object({
    grade: z.number().int().min(0).max(13),
    section: z.string().trim().min(1).max(8),
    name: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Defaults to grade and section, e.g. "5A"' }),
  })
  .openapi("ClassRequest");
const StudentBody = z
  .object({
    admissionNo: z.string().trim().min(1).max(40),
    firstName: name,
    lastName: name,
    classId: z.number().int().positive(),
  })
  .openapi("StudentRequest");
const GuardianBody = z
  .object({
    firstName: name,
    lastName: name,
    phone: z.string().min(5).max(32).openapi({ description: "Any common format; stored as E.164" }),
    language: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language code such as en or es")
      .optional(),
    students: z
      .array(
        z.object({
          id: z.number().int().positive(),
          relationship: z.string().trim().min(1).max(30).optional(),
        }),
      )
      .max(20)
      .optional()
      .openapi({ description: "Their children; when given, replaces the existing links" }),
  })
  .openapi("GuardianRequest");
const StaffBody = z
  .object({
    title: z.string().trim().max(20).optional(),
    firstName: name,
    lastName: name,
    phone: z.string().min(5).max(32),
    role: z.enum(["teacher", "office", "admin"]),
    officeFunction: z.enum(["accounts", "transport", "front"]).nullable().optional().openapi({
      description: "Required for office staff, absent otherwise",
    }),
    active: z.boolean().optional(),
  })
  .openapi("StaffRequest");

const GuardianSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string(),
    language: z.string(),
    students: z.array(
      z.object({ id: z.number().int(), name: z.string(), relationship: z.string() }),
    ),
  })
  .openapi("Guardian");

const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" }, example: 1 }),
});

function writeRoutes<B extends z.ZodObject, R extends z.ZodTypeAny>(
  what: string,
  path: string,
  body: B,
  response: R,
) {
  const json = <S extends z.ZodTypeAny>(schema: S) => ({
    content: { "application/json": { schema } },
    required: true as const,
  });
  return {
    create: createRoute({
      method: "post",
      path,
      tags: ["Directory"],
      summary: `Add a ${what} (admin)`,
      security,
      request: { body: json(body) },
      responses: {
        201: {
          description: `The new ${what}`,
          content: { "application/json": { schema: response } },
        },
        ...errorResponses(400, 401, 403, 409, 413, 422),
      },
    }),
    update: createRoute({
      method: "patch",
      path: `${path}/{id}`,
      tags: ["Directory"],
      summary: `Change a ${what} (admin)`,
      security,
      request: { params: IdParam, body: json(body.partial().refine(atLeastOne, nothingToChange)) },
      responses: {
        200: {
          description: `The ${what} after the change`,
          content: { "application/json": { schema: response } },
        },
        ...errorResponses(400, 401, 403, 404, 409, 413, 422),
      },
    }),
  };
}

const routes = {
  classes: writeRoutes("class", "/classes", ClassBody, ClassSchema),
  students: writeRoutes("student", "/students", StudentBody, StudentSchema),
  guardians: writeRoutes("guardian", "/guardians", GuardianBody, GuardianSchema),
  staff: writeRoutes("staff member", "/staff", StaffBody, StaffMemberSchema),
};

/** The admin's school and id; anyone else is refused before anything is looked up. */
export function requireAdmin(c: Context<AppEnv>, what: string) {
  const principal = c.get("staff");
  if (!principal.roles.includes("admin"))
    throw new ApiError(403, "forbidden", `Only an admin may ${what}`);
  return { staffId: principal.staffId, schoolId: principal.schoolId };
}

/** The saved row's id, or the refusal as 404, 409 or 422 in the error envelope. */
function savedId(result: DirectoryWriteResult, what: string): number {
  if (result.ok) return result.id;
  if (result.reason === "not_found") throw notFound(what);
  if (result.reason === "duplicate")
    throw new ApiError(409, "duplicate", result.message, [
      { path: result.field, message: result.message },
    ]);
  throw new ApiError(422, "validation_failed", "The request is not valid", [
    { path: result.field, message: result.message },
  ]);
}

export function directoryAdminRoutes(deps: ServiceDeps) {
  const classView = async (schoolId: number, id: number) =>
    (await listClasses(deps.db, schoolId)).find((row) => row.id === id);
  const studentView = async (c: Context<AppEnv>, id: number) =>
    (await listStudents(deps.db, c.get("staff"), {})).find((row) => row.id === id);
  const staffView = async (c: Context<AppEnv>, id: number) =>
    (await listStaff(deps.db, c.get("staff"), { includeInactive: true })).find(
      (row) => row.id === id,
    );
  const found = <T>(value: T | undefined, what: string): T => {
    if (!value) throw notFound(what);
    return value;
  };

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.classes.create, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(await saveClass(deps, actor, null, c.req.valid("json")), "Class");
      return c.json(found(await classView(actor.schoolId, id), "Class"), 201);
    })
    .openapi(routes.classes.update, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(
        await saveClass(deps, actor, c.req.valid("param").id, c.req.valid("json")),
        "Class",
      );
      return c.json(found(await classView(actor.schoolId, id), "Class"), 200);
    })
    .openapi(routes.students.create, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(await saveStudent(deps, actor, null, c.req.valid("json")), "Student");
      return c.json(found(await studentView(c, id), "Student"), 201);
    })
    .openapi(routes.students.update, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(
        await saveStudent(deps, actor, c.req.valid("param").id, c.req.valid("json")),
        "Student",
      );
      return c.json(found(await studentView(c, id), "Student"), 200);
    })
    .openapi(routes.guardians.create, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(await saveGuardian(deps, actor, null, c.req.valid("json")), "Guardian");
      return c.json(found(await findGuardianView(deps.db, actor.schoolId, id), "Guardian"), 201);
    })
    .openapi(routes.guardians.update, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(
        await saveGuardian(deps, actor, c.req.valid("param").id, c.req.valid("json")),
        "Guardian",
      );
      return c.json(found(await findGuardianView(deps.db, actor.schoolId, id), "Guardian"), 200);
    })
    .openapi(routes.staff.create, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(await saveStaff(deps, actor, null, c.req.valid("json")), "Staff member");
      return c.json(found(await staffView(c, id), "Staff member"), 201);
    })
    .openapi(routes.staff.update, async (c) => {
      const actor = requireAdmin(c, "change the directory");
      const id = savedId(
        await saveStaff(deps, actor, c.req.valid("param").id, c.req.valid("json")),
        "Staff member",
      );
      return c.json(found(await staffView(c, id), "Staff member"), 200);
    });
}
