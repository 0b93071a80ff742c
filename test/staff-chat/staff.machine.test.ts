// The staff conversation machine alone: every effect is a fake actor, every step goes through
// runUntilWaiting as the runtime does. Covers what the simulator cannot show: a chat address that
// is not a phone (Telegram), a command kept through verification, refusals, failures and idleness.
import { describe, expect, it, vi } from "vitest";
import { createActor, fromPromise, type Snapshot } from "xstate";
import { en } from "../../flows/staff/catalog";
import { staffEventFrom } from "../../flows/staff/events";
import { staffMachine } from "../../flows/staff/staff.machine";
import type {
  PreviewResult,
  SayEvent,
  StaffEvent,
  StaffInput,
  VerifiedStaff,
} from "../../flows/staff/staff.types";
import { runUntilWaiting } from "../../src/conversations/run-until-waiting";

const TELEGRAM: StaffInput = { channel: "telegram", address: "5550001" };
const RAO: VerifiedStaff = {
  staffId: 5,
  schoolId: 1,
  displayName: "Ms Rao",
  schoolName: "Greenfield Primary School",
  timezone: "America/Los_Angeles",
  role: "teacher",
  classes: ["5A"],
  alsoGuardian: false,
};
const READY: PreviewResult = {
  status: "ready",
  families: 3,
  byChannel: { telegram: 2 },
  unreachable: { noChannel: 1, optedOut: 0, off: 0 },
};

// biome-ignore lint/suspicious/noExplicitAny: fakes take and give whatever each actor does
type Fake = (input: any) => Promise<any>;

const defaults: Record<string, Fake> = {
  identifyStaff: async () => ({ status: "linked", staff: RAO }),
  findStaffPhone: async () => ({ status: "unknown", addressIsPhone: false }),
  sendStaffCode: async () => ({ status: "sent", maskedPhone: "+1•••••0184" }),
  checkStaffCode: async () => ({ status: "verified", staff: RAO }),
  readAnnounceCommand: async () => ({ ok: true, form: "guided" }),
  readAudience: async () => ({ kind: "classes", classes: ["5A"] }),
  readScheduleTime: async () => ({ ok: true, schedule: { at: 1, label: "Tue, Dec 1, 7:00 AM" } }),
  previewAnnouncement: async () => READY,
  createAnnouncement: async () => ({ status: "created", id: 7, state: "sending" }),
  listAnnouncements: async () => ({ status: "listed", items: [] }),
  getAnnouncementStats: async () => ({ status: "refused", reason: "not_found", message: "" }),
  ticketCommand: async () => ({ status: "no_alert" }),
};

function conversation(overrides: Record<string, Fake> = {}) {
  const fns = Object.fromEntries(
    Object.entries({ ...defaults, ...overrides }).map(([name, fake]) => [name, vi.fn(fake)]),
  );
  const machine = staffMachine.provide({
    actors: Object.fromEntries(
      Object.entries(fns).map(([name, fn]) => [name, fromPromise(({ input }) => fn(input))]),
    ),
  });
  let snapshot: Snapshot<unknown> | undefined;
  return {
    fns,
    async send(...events: (StaffEvent | string)[]) {
      const result = await runUntilWaiting<SayEvent, StaffEvent, StaffInput>({
        machine,
        snapshot,
        input: TELEGRAM,
        events: events.map((event) =>
          typeof event === "string" ? staffEventFrom({ text: event }) : event,
        ),
      });
      snapshot = result.snapshot;
      return result.said.map((say) => say.text);
    },
    state: () => createActor(machine, { snapshot, input: TELEGRAM }).getSnapshot(),
  };
}

describe("verifying staff on a chat that is not a phone", () => {
  it("asks for the staff phone, sends the code there, and verifies", async () => {
    const chat = conversation({
      identifyStaff: async () => ({ status: "unknown", addressIsPhone: false }),
      findStaffPhone: async ({ text }) =>
        text === "+14155550184"
          ? { status: "on_file", phone: "+14155550184" }
          : { status: "unknown", addressIsPhone: false },
    });
    expect(await chat.send("/staff")).toEqual([en.askPhone()]);
    expect(await chat.send("+14155550000")).toEqual([en.notStaffPhone()]);
    expect(await chat.send("+14155550184")).toEqual([en.codeSent({ maskedPhone: "+1•••••0184" })]);
    expect(chat.fns.sendStaffCode).toHaveBeenCalledWith({ phone: "+14155550184" });
    expect(await chat.send("123456")).toEqual([en.verified({ name: "Ms Rao" }), en.menuPrompt()]);
    expect(chat.fns.checkStaffCode).toHaveBeenCalledWith({
      phone: "+14155550184",
      code: "123456",
    });
  });

  it("says so when a contact shared at the phone question is no staff member's", async () => {
    const chat = conversation({
      identifyStaff: async () => ({ status: "unknown", addressIsPhone: false }),
    });
    await chat.send("/staff");
    const shared = staffEventFrom({ text: "+14155550000", sharedPhone: "+14155550000" });
    expect(await chat.send(shared)).toEqual([en.notStaffPhone()]);
    expect(chat.fns.findStaffPhone).toHaveBeenCalledExactlyOnceWith({ text: "+14155550000" });
    expect(chat.fns.sendStaffCode).not.toHaveBeenCalled();
  });

  it("hands a phone that is no staff member's over to the parent conversation", async () => {
    const chat = conversation({
      identifyStaff: async () => ({ status: "unknown", addressIsPhone: true }),
    });
    expect(await chat.send("/announce 5A: hi")).toEqual([en.notStaff()]);
    expect(chat.state().status).toBe("done");
    expect(chat.fns.sendStaffCode).not.toHaveBeenCalled();
  });

  it("lets someone asked for a phone go back to the parent menu", async () => {
    const chat = conversation({
      identifyStaff: async () => ({ status: "unknown", addressIsPhone: false }),
    });
    await chat.send("/staff");
    expect(await chat.send("menu")).toEqual([]);
    expect(chat.state().status).toBe("done");
  });

  it("keeps a command typed while the code is awaited, and carries it out once verified", async () => {
    const chat = conversation({
      identifyStaff: async () => ({ status: "on_file", phone: "+14155550184" }),
      listAnnouncements: async () => ({ status: "listed", items: [] }),
    });
    await chat.send("hi");
    expect(await chat.send("/announcements")).toEqual([]);
    expect(await chat.send("123456")).toEqual([
      en.verified({ name: "Ms Rao" }),
      en.noAnnouncements(),
    ]);
  });
});

describe("announcing", () => {
  it("asks again for an empty text and an audience it cannot read", async () => {
    const chat = conversation({
      readAudience: async ({ text }) =>
        text === "5A" ? { kind: "classes", classes: ["5A"] } : null,
    });
    await chat.send("hi");
    await chat.send("/announce");
    expect(await chat.send("the kids")).toEqual([en.audienceNotUnderstood()]);
    expect(await chat.send("5A")).toEqual([en.askText()]);
    expect(await chat.send("   ")).toEqual([en.emptyText()]);
    expect(await chat.send("Trip on Monday")).toEqual([en.askAttachment()]);
    const preview = await chat.send("skip");
    expect(preview[0]).toContain('"Trip on Monday"');
    expect(preview[0]).not.toContain("attachment");
    expect(preview[0]).toContain("It will reach 2 families of 3 (Telegram: 2).");
  });

  it("names each channel as staff know it, WhatsApp's connections added up", async () => {
    const chat = conversation({
      previewAnnouncement: async () => ({
        ...READY,
        families: 7,
        byChannel: {
          "whatsapp-cloud": 2,
          sms: 1,
          "twilio-whatsapp": 1,
          "whatsapp-web": 1,
          telegram: 0,
        },
        unreachable: { noChannel: 2, optedOut: 0, off: 0 },
      }),
    });
    await chat.send("hi");
    await chat.send("/announce");
    await chat.send("5A");
    await chat.send("Trip on Monday");
    const preview = await chat.send("skip");
    expect(preview[0]).toContain("It will reach 5 families of 7 (WhatsApp: 4, SMS: 1).");
  });

  it("prefixes the answer after a grade or admission-number button", async () => {
    const chat = conversation();
    await chat.send("hi");
    await chat.send("/announce");
    await chat.send("A grade");
    await chat.send("5");
    expect(chat.fns.readAudience).toHaveBeenLastCalledWith({ text: "grade 5" });
    await chat.send("cancel");
    await chat.send("/announce");
    await chat.send("5");
    await chat.send("GF-2024-001, GF-2024-002");
    expect(chat.fns.readAudience).toHaveBeenLastCalledWith({
      text: "students GF-2024-001, GF-2024-002",
    });
  });

  it("sends as urgent when asked at the preview", async () => {
    const chat = conversation({
      readAnnounceCommand: async () => ({
        ok: true,
        form: "one-line",
        audience: { kind: "classes", classes: ["5A"] },
        text: "Early pickup",
        urgent: false,
        schedule: null,
      }),
    });
    await chat.send("hi");
    await chat.send("/announce 5A: Early pickup");
    expect(await chat.send("Send as urgent")).toEqual([
      en.created({ id: 7, state: "sending", schedule: null }),
    ]);
    expect(chat.fns.createAnnouncement).toHaveBeenCalledWith({
      staffId: 5,
      audience: { kind: "classes", classes: ["5A"] },
      text: "Early pickup",
      attachment: null,
      urgent: true,
      scheduledAt: null,
    });
  });

  it("takes an https link, or a file the message carried, as the attachment, and nothing else", async () => {
    const chat = conversation();
    await chat.send("hi");
    await chat.send("/announce");
    await chat.send("5A");
    expect(await chat.send("Photo day")).toEqual([en.askAttachment()]);
    for (const notALink of ["http://school.example/a.jpg", "the photo", "https://localhost/a.jpg"])
      expect(await chat.send(notALink)).toEqual([en.attachmentNotUnderstood()]);
    const preview = await chat.send(" https://school.example/photo-day.jpg ");
    expect(preview[0]).toContain(
      '"Photo day"\nwith attachment: https://school.example/photo-day.jpg\n',
    );
    await chat.send("Send");
    expect(chat.fns.createAnnouncement).toHaveBeenLastCalledWith(
      expect.objectContaining({ attachment: { url: "https://school.example/photo-day.jpg" } }),
    );

    // An MMS picture: Twilio gives its URL and type; the message's text does not matter.
    const mms = { url: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1" };
    await chat.send("/announce");
    await chat.send("5A");
    await chat.send("Our new playground");
    const withFile = await chat.send({
      type: "message",
      text: "",
      media: [{ ...mms, contentType: "image/jpeg" }],
    });
    expect(withFile[0]).toContain(`with attachment: ${mms.url}`);
    await chat.send("Send");
    expect(chat.fns.createAnnouncement).toHaveBeenLastCalledWith(
      expect.objectContaining({ attachment: { ...mms, contentType: "image/jpeg" } }),
    );
  });

  it("says kindly what the service refused, and apologises when it failed", async () => {
    const refusing = conversation({
      previewAnnouncement: async () => ({ status: "refused", reason: "not_allowed", message: "x" }),
    });
    await refusing.send("hi");
    await refusing.send("/announce");
    await refusing.send("5A");
    await refusing.send("Trip");
    expect(await refusing.send("skip")).toEqual([
      en.notAllowed({ role: "teacher", classes: ["5A"] }),
    ]);

    const inactive = conversation({
      createAnnouncement: async () => ({ status: "refused", reason: "inactive", message: "" }),
    });
    await inactive.send("hi");
    await inactive.send("/announce");
    await inactive.send("5A");
    await inactive.send("Trip");
    await inactive.send("skip");
    expect(await inactive.send("Send")).toEqual([en.inactive()]);

    const failing = conversation({
      createAnnouncement: async () => {
        throw new Error("database is down");
      },
    });
    await failing.send("hi");
    await failing.send("/announce");
    await failing.send("5A");
    await failing.send("Trip");
    await failing.send("skip");
    expect(await failing.send("Send")).toEqual([en.somethingWentWrong()]);
    expect(failing.state().value).toEqual({ verified: "menu" });
  });

  it("drops a half-written announcement after a long silence, and sends nothing", async () => {
    const chat = conversation();
    await chat.send("hi");
    await chat.send("/announce");
    await chat.send("5A");
    expect(await chat.send({ type: "idle" }, "Trip")).toEqual([en.idleReset(), en.menuPrompt()]);
    expect(chat.fns.previewAnnouncement).not.toHaveBeenCalled();
  });

  it("does not apologise for a silence when nothing was half done", async () => {
    const chat = conversation();
    await chat.send("hi");
    expect(await chat.send({ type: "idle" }, "/announcements")).toEqual([en.noAnnouncements()]);
  });
});

describe("tickets from the chat", () => {
  it("reads T-1001 answers and the ticket commands, at any step, and says what happened", async () => {
    const chat = conversation({
      ticketCommand: async (input) =>
        input.action === "reply"
          ? {
              status: "replied",
              reference: input.reference,
              guardian: "Michael Barnes",
              lastAlert: false,
            }
          : input.action === "note"
            ? { status: "noted", reference: input.reference }
            : { status: "usage", action: input.action },
    });
    await chat.send("hi");
    await chat.send("/announce");
    expect(await chat.send("t1001: We'll call you today")).toEqual([
      en.ticketReplied({ reference: "T-1001", guardian: "Michael Barnes", lastAlert: false }),
    ]);
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({
      staffId: 5,
      action: "reply",
      reference: "T-1001",
      text: "We'll call you today",
    });
    expect(chat.state().value).toEqual({ verified: "menu" });
    expect(await chat.send("/note T-1001 Called, no answer")).toEqual([
      en.ticketNoted({ reference: "T-1001" }),
    ]);
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({
      staffId: 5,
      action: "note",
      reference: "T-1001",
      text: "Called, no answer",
    });
    expect(await chat.send("/resolve")).toEqual([en.ticketUsage({ action: "resolve" })]);
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({
      staffId: 5,
      action: "resolve",
      reference: "",
      text: "",
    });
  });

  it("offers a plain text at the menu as an answer to the last alert, else shows the menu", async () => {
    let alerted = true;
    const chat = conversation({
      ticketCommand: async (input) =>
        alerted
          ? { status: "replied", reference: "T-1001", guardian: "Michael Barnes", lastAlert: true }
          : { status: "no_alert", input },
    });
    await chat.send("hi");
    expect(await chat.send("The log is in her bag")).toEqual([
      en.ticketReplied({ reference: "T-1001", guardian: "Michael Barnes", lastAlert: true }),
    ]);
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({
      staffId: 5,
      action: "answer-last-alert",
      text: "The log is in her bag",
    });
    alerted = false;
    expect(await chat.send("Anything else")).toEqual([en.menuPrompt()]);
    // Menu choices stay menu choices.
    expect(await chat.send("Help")).toEqual([en.help()]);
    expect(chat.fns.ticketCommand).toHaveBeenCalledTimes(2);
  });

  it("lists my open tickets with /tickets", async () => {
    const item = {
      reference: "T-1001",
      about: "Michael Barnes",
      category: "Academics",
      wait: "waiting 3 h",
    };
    const chat = conversation({ ticketCommand: async () => ({ status: "listed", items: [item] }) });
    await chat.send("hi");
    expect(await chat.send("/tickets")).toEqual([en.ticketList({ items: [item] })]);
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({ staffId: 5, action: "list" });
  });
});

describe("a ticket command that opens the conversation", () => {
  it("is carried out once the member is identified (a reply to an alert from a parent-mode chat)", async () => {
    const chat = conversation({
      ticketCommand: async (input) => ({
        status: "replied",
        reference: input.reference,
        guardian: "Michael Barnes",
        lastAlert: false,
      }),
    });
    const said = await chat.send({
      type: "command.ticket",
      action: "reply",
      reference: "T-1001",
      text: "On my way",
    });
    expect(said).toEqual([
      en.greeting({ name: "Ms Rao", school: "Greenfield Primary School" }),
      en.ticketReplied({ reference: "T-1001", guardian: "Michael Barnes", lastAlert: false }),
    ]);
    expect(chat.fns.ticketCommand).toHaveBeenCalledWith({
      staffId: 5,
      action: "reply",
      reference: "T-1001",
      text: "On my way",
    });
    // Done once: the next plain text is not that command again.
    await chat.send("Anything");
    expect(chat.fns.ticketCommand).toHaveBeenLastCalledWith({
      staffId: 5,
      action: "answer-last-alert",
      text: "Anything",
    });
  });
});
