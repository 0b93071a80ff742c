import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild;

describe("canned replies", () => {
  it("are written by office staff, read by everyone, audited, and unique by title per school", async () => {
    const app = await createTestParentline();
    const office = await signInStaff(app, STAFF.frontOffice);
    const created = await app.json(
      "POST",
      "/v1/canned-replies",
      { title: "Homework", body: "Dear {parent}, {child}'s homework is on the class page." },
      office,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect(
      (await app.json("POST", "/v1/canned-replies", { title: "Homework", body: "Again" }, office))
        .status,
    ).toBe(409);
    const changed = await app.json(
      "PATCH",
      `/v1/canned-replies/${id}`,
      { title: "Homework page" },
      office,
    );
    expect(await changed.json()).toMatchObject({ id, title: "Homework page" });

    const teacher = await signInStaff(app, STAFF.rao);
    const listed = (await (
      await app.json("GET", "/v1/canned-replies", undefined, teacher)
    ).json()) as {
      cannedReplies: { title: string }[];
    };
    expect(listed.cannedReplies.map((reply) => reply.title)).toEqual(["Homework page"]);
    expect(
      (await app.json("POST", "/v1/canned-replies", { title: "T", body: "B" }, teacher)).status,
    ).toBe(403);
    expect((await app.json("DELETE", `/v1/canned-replies/${id}`, undefined, teacher)).status).toBe(
      403,
    );

    const riverside = await signInStaff(app, "+12125550190");
    expect(
      (await app.json("DELETE", `/v1/canned-replies/${id}`, undefined, riverside)).status,
    ).toBe(404);
    expect((await app.json("DELETE", `/v1/canned-replies/${id}`, undefined, office)).status).toBe(
      204,
    );

    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.entity, "canned_reply"));
    expect(audit.map((entry) => [entry.action, entry.entityId])).toEqual([
      ["canned_reply.create", String(id)],
      ["canned_reply.update", String(id)],
      ["canned_reply.delete", String(id)],
    ]);
  });

  it("fill in the parent's and child's names when used as a reply", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    await app.say(PARENT, "Where is the homework?");
    await app.say(PARENT, "Send");
    const office = await signInStaff(app, STAFF.frontOffice);
    const { id } = (await (
      await app.json(
        "POST",
        "/v1/canned-replies",
        { title: "Homework", body: "Dear {parent}, {child}'s homework is online." },
        office,
      )
    ).json()) as { id: number };
    const teacher = await signInStaff(app, STAFF.rao);
    const reply = await app.json("POST", "/v1/tickets/1/replies", { cannedReplyId: id }, teacher);
    expect(reply.status).toBe(201);
    const [message] = await app.db
      .select()
      .from(schema.ticketMessages)
      .where(eq(schema.ticketMessages.authorType, "staff"));
    expect(message?.body).toBe("Dear Michael Barnes, Chloe Barnes's homework is online.");
    expect(
      (await app.json("POST", "/v1/tickets/1/replies", { cannedReplyId: 999 }, teacher)).status,
    ).toBe(422);
    expect(
      (await app.json("POST", "/v1/tickets/1/replies", { body: "x", cannedReplyId: id }, teacher))
        .status,
    ).toBe(422);
  });
});
