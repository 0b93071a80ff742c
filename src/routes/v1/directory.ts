// /v1/classes, /v1/students, /v1/staff: the school's directory as staff read it (admin writes: directory-admin.ts).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { listClasses, listStaff, listStudents } from "../../services/school-directory";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const ok = <T extends z.ZodTypeAny>(description: string, schema: T) => ({
  200: { description, content: { "application/json": { schema } } },
  ...errorResponses(401, 422),
});

export const ClassSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    grade: z.number().int(),
    section: z.string(),
    classTeacher: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  })
  .openapi("Class");
export const StudentSchema = z
  .object({
    id: z.number().int(),
    admissionNo: z.string(),
    name: z.string(),
    classId: z.number().int(),
    className: z.string(),
    guardians: z.array(
      z.object({ id: z.number().int(), name: z.string(), relationship: z.string() }),
    ),
  })
  .openapi("Student");
export const StaffMemberSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(["teacher", "office", "admin"]),
    officeFunction: z.enum(["accounts", "transport", "front"]).nullable(),
    phone: z.string().optional().openapi({ description: "Only shown to an admin" }),
    active: z.boolean(),
  })
  .openapi("StaffMember");

const routes = {
  classes: createRoute({
    method: "get",
    path: "/classes",
    tags: ["Directory"],
    summary: "The school's classes with their class teachers",
    security,
    responses: ok("Classes", z.object({ classes: z.array(ClassSchema) })),
  }),
  students: createRoute({
    method: "get",
    path: "/students",
    tags: ["Directory"],
    summary: "Students with their guardians (a teacher sees the classes they teach)",
    security,
    request: { query: z.object({ class: z.coerce.number().int().positive().optional() }) },
    responses: ok("Students", z.object({ students: z.array(StudentSchema) })),
  }),
  staff: createRoute({
    method: "get",
    path: "/staff",
    tags: ["Directory"],
    summary: "The school's active staff",
    security,
    responses: ok("Staff", z.object({ staff: z.array(StaffMemberSchema) })),
  }),
};

export function directoryRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.classes, async (c) =>
      c.json({ classes: await listClasses(deps.db, c.get("staff").schoolId) }, 200),
    )
    .openapi(routes.students, async (c) => {
      const classId = c.req.valid("query").class;
      const students = await listStudents(deps.db, c.get("staff"), {
        ...(classId === undefined ? {} : { classId }),
      });
      return c.json({ students }, 200);
    })
    .openapi(routes.staff, async (c) =>
      c.json({ staff: await listStaff(deps.db, c.get("staff")) }, 200),
    );
}
