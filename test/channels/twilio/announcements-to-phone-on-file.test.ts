// With Twilio SMS on, the phone on the school's record is the school's own contact for a family:
// announcements reach it by SMS even if the family never wrote in (never an opted-out number), and
// the preview counts it. "No channel" is left for families with no phone at all.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../../db";
import { DEMO, STAFF, type TestParentline } from "../../support/parentline";
import { inboundSms, sendInbound, staffTokenOverSms, useTwilioTestbed } from "./support";

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

const staffToken = (phone: string) => staffTokenOverSms(app, twilio, phone);

const GREENFIELD = 1;
const AUDIENCE = { kind: "classes", classes: ["5A"] };

describe("announcements over SMS to the phone on file", () => {
  it("reach families who never wrote in, are counted in the preview, and skip opted-out numbers", async () => {
    const token = await staffToken(STAFF.admin);
    // One family of 5A opts out of SMS before ever verifying.
    await sendInbound(app, inboundSms(DEMO.parentWithOneChild, "STOP"));
    const families = await app.db
      .select({ phone: schema.guardians.phone })
      .from(schema.guardians)
      .innerJoin(
        schema.guardianStudents,
        eq(schema.guardianStudents.guardianId, schema.guardians.id),
      )
      .innerJoin(schema.students, eq(schema.students.id, schema.guardianStudents.studentId))
      .innerJoin(schema.classes, eq(schema.classes.id, schema.students.classId))
      .where(and(eq(schema.classes.name, "5A"), eq(schema.classes.schoolId, GREENFIELD)));
    const phones = new Set(families.map((family) => family.phone).filter(Boolean));
    expect(phones.size).toBeGreaterThan(2);

    const preview = await app.json(
      "POST",
      "/v1/announcements/preview",
      { audience: AUDIENCE, text: "Picnic on Friday" },
      token,
    );
    expect(preview.status).toBe(200);
    const reach = (await preview.json()) as {
      byChannel: Record<string, number>;
      unreachable: Record<string, number>;
    };
    expect(reach.byChannel.sms).toBe(phones.size - 1);
    expect(reach.unreachable.no_channel).toBe(0);
    expect(reach.unreachable.opted_out).toBe(1);

    twilio.created.length = 0;
    const posted = await app.json(
      "POST",
      "/v1/announcements",
      // Urgent, so it goes now rather than after the night's quiet hours.
      { audience: AUDIENCE, text: "Picnic on Friday", urgent: true },
      token,
    );
    expect(posted.status).toBe(201);
    await app.dispatcher.dispatchDue();
    const sentTo = new Set(twilio.created.map((message) => message.to));
    expect(sentTo.has(DEMO.parentWithOneChild)).toBe(false);
    expect(sentTo.size).toBe(phones.size - 1);
    expect(twilio.created.every((message) => message.body.includes("Picnic on Friday"))).toBe(true);
  });
});
