// The parent conversation machine alone: every effect is a fake actor, every step goes through
// runUntilWaiting exactly as the runtime does, and texts are compared with the English catalog.
import { describe, expect, it, vi } from "vitest";
import { createActor, fromPromise, type Snapshot } from "xstate";
import { en } from "../../flows/parent/catalog";
import { parentEventFrom } from "../../flows/parent/events";
import { matchOption } from "../../flows/parent/options";
import { CATEGORIES, parentMachine } from "../../flows/parent/parent.machine";
import type {
  AnnouncementLine,
  Assignee,
  CheckCodeResult,
  CreateTicketResult,
  FollowUp,
  IdentifyResult,
  OpenTicketSummary,
  Option,
  ParentEvent,
  ParentInput,
  ParentSettings,
  RequestCheck,
  SayEvent,
  SendCodeResult,
  SettingsChange,
  TicketDraft,
  TicketRefusal,
  VerifiedGuardian,
} from "../../flows/parent/parent.types";
import { runUntilWaiting } from "../../src/conversations/run-until-waiting";

// ---------------------------------------------------------------------------------------------
// Fixtures and fakes
// ---------------------------------------------------------------------------------------------

const HERE: ParentInput = { channel: "whatsapp", address: "+14155550199" };
const OFFICE = "+14155550100";
const PHONE_ON_FILE = "+14155550123";
const MASKED = "•••••••0123";

const OLIVER = { id: 11, name: "Oliver", className: "3B" };
const AVA = { id: 12, name: "Ava", className: "5A" };

const GUARDIAN: VerifiedGuardian = {
  guardianId: 7,
  schoolId: 1,
  firstName: "Emily",
  schoolName: "Greenfield Primary School",
  officePhone: OFFICE,
  language: "en",
  children: [OLIVER],
};
const GUARDIAN_OF_TWO: VerifiedGuardian = { ...GUARDIAN, children: [OLIVER, AVA] };

interface Effects {
  identify: (input: {
    channel: string;
    address: string;
    sharedPhone?: string;
  }) => Promise<IdentifyResult>;
  findPhoneOnFile: (input: { text: string }) => Promise<IdentifyResult>;
  sendCode: (input: { phone: string }) => Promise<SendCodeResult>;
  checkCode: (input: { phone: string; code: string }) => Promise<CheckCodeResult>;
  createTicket: (input: TicketDraft) => Promise<CreateTicketResult>;
  checkNewRequest: (input: {
    guardianId: number;
    schoolId: number;
    category: string;
    urgent: boolean;
    language?: string;
  }) => Promise<RequestCheck>;
  listOpenTickets: (input: { guardianId: number }) => Promise<OpenTicketSummary[]>;
  addToTicket: (input: FollowUp) => Promise<{ reference: string; assignee: Assignee }>;
  listAnnouncements: (input: { guardianId: number }) => Promise<AnnouncementLine[]>;
  setLanguage: (input: { guardianId: number; language: string }) => Promise<{ language: string }>;
  loadSettings: (input: { guardianId: number; schoolId: number }) => Promise<ParentSettings>;
  changeSettings: (input: {
    guardianId: number;
    schoolId: number;
    change: SettingsChange;
  }) => Promise<ParentSettings>;
}

const SETTINGS: ParentSettings = { announcements: "instant", channels: ["telegram", "sms"] };

const defaults: Effects = {
  identify: async () => ({ status: "linked", guardian: GUARDIAN }),
  findPhoneOnFile: async () => ({ status: "unknown", officePhone: OFFICE }),
  sendCode: async () => ({ status: "sent", maskedPhone: MASKED }),
  checkCode: async () => ({ status: "verified", guardian: GUARDIAN }),
  createTicket: async () => ({
    status: "created",
    reference: "T-1001",
    assignee: { role: "staff", name: "Ms Rao" },
  }),
  checkNewRequest: async () => ({ allowed: true }),
  listOpenTickets: async () => [],
  addToTicket: async ({ reference }) => ({
    reference,
    assignee: { role: "staff", name: "Ms Rao" },
  }),
  listAnnouncements: async () => [],
  setLanguage: async ({ language }) => ({ language }),
  loadSettings: async () => SETTINGS,
  changeSettings: async ({ change }) =>
    "firstChannel" in change
      ? { ...SETTINGS, channels: [change.firstChannel, "telegram"] }
      : { ...SETTINGS, ...change },
};

const boom = async (): Promise<never> => {
  throw new Error("database is down");
};

/** The machine with a fake (a vi.fn) for every actor; `overrides` replace the defaults. */
function machineWith(overrides: Partial<Effects> = {}) {
  const fns = {
    identify: vi.fn<Effects["identify"]>(overrides.identify ?? defaults.identify),
    findPhoneOnFile: vi.fn<Effects["findPhoneOnFile"]>(
      overrides.findPhoneOnFile ?? defaults.findPhoneOnFile,
    ),
    sendCode: vi.fn<Effects["sendCode"]>(overrides.sendCode ?? defaults.sendCode),
    checkCode: vi.fn<Effects["checkCode"]>(overrides.checkCode ?? defaults.checkCode),
    createTicket: vi.fn<Effects["createTicket"]>(overrides.createTicket ?? defaults.createTicket),
    checkNewRequest: vi.fn<Effects["checkNewRequest"]>(
      overrides.checkNewRequest ?? defaults.checkNewRequest,
    ),
    listOpenTickets: vi.fn<Effects["listOpenTickets"]>(
      overrides.listOpenTickets ?? defaults.listOpenTickets,
    ),
    addToTicket: vi.fn<Effects["addToTicket"]>(overrides.addToTicket ?? defaults.addToTicket),
    listAnnouncements: vi.fn<Effects["listAnnouncements"]>(
      overrides.listAnnouncements ?? defaults.listAnnouncements,
    ),
    setLanguage: vi.fn<Effects["setLanguage"]>(overrides.setLanguage ?? defaults.setLanguage),
    loadSettings: vi.fn<Effects["loadSettings"]>(overrides.loadSettings ?? defaults.loadSettings),
    changeSettings: vi.fn<Effects["changeSettings"]>(
      overrides.changeSettings ?? defaults.changeSettings,
    ),
  };
  const machine = parentMachine.provide({
    actors: {
      identify: fromPromise(({ input }: { input: Parameters<Effects["identify"]>[0] }) =>
        fns.identify(input),
      ),
      findPhoneOnFile: fromPromise(({ input }: { input: { text: string } }) =>
        fns.findPhoneOnFile(input),
      ),
      sendCode: fromPromise(({ input }: { input: { phone: string } }) => fns.sendCode(input)),
      checkCode: fromPromise(({ input }: { input: { phone: string; code: string } }) =>
        fns.checkCode(input),
      ),
      createTicket: fromPromise(({ input }: { input: TicketDraft }) => fns.createTicket(input)),
      checkNewRequest: fromPromise(
        ({ input }: { input: Parameters<Effects["checkNewRequest"]>[0] }) =>
          fns.checkNewRequest(input),
      ),
      listOpenTickets: fromPromise(({ input }: { input: { guardianId: number } }) =>
        fns.listOpenTickets(input),
      ),
      addToTicket: fromPromise(({ input }: { input: FollowUp }) => fns.addToTicket(input)),
      listAnnouncements: fromPromise(({ input }: { input: { guardianId: number } }) =>
        fns.listAnnouncements(input),
      ),
      setLanguage: fromPromise(({ input }: { input: { guardianId: number; language: string } }) =>
        fns.setLanguage(input),
      ),
      loadSettings: fromPromise(({ input }: { input: Parameters<Effects["loadSettings"]>[0] }) =>
        fns.loadSettings(input),
      ),
      changeSettings: fromPromise(
        ({ input }: { input: Parameters<Effects["changeSettings"]>[0] }) =>
          fns.changeSettings(input),
      ),
    },
  });
  return { machine, fns };
}

type Machine = ReturnType<typeof machineWith>["machine"];

const message = (
  text: string,
  extra: Omit<ParentEvent & { type: "message" }, "type" | "text"> = {},
) => ({ type: "message", text, ...extra }) as const satisfies ParentEvent;

/** One runtime step: restore, send, run until the conversation waits again. */
function step(machine: Machine, snapshot: Snapshot<unknown> | undefined, ...events: ParentEvent[]) {
  return runUntilWaiting<SayEvent, ParentEvent, ParentInput>({
    machine,
    snapshot,
    input: HERE,
    events,
  });
}

/** What a persisted snapshot looks like once restored. */
function restored(machine: Machine, snapshot: Snapshot<unknown>) {
  return createActor(machine, { snapshot, input: HERE }).getSnapshot();
}

/** A conversation that keeps its snapshot between steps, like the runtime does. */
function conversation(overrides: Partial<Effects> = {}) {
  const { machine, fns } = machineWith(overrides);
  let snapshot: Snapshot<unknown> | undefined;
  const api = {
    fns,
    machine,
    /** Sends one step (strings become messages) and returns what was said. */
    async send(...events: (ParentEvent | string)[]) {
      const result = await step(
        machine,
        snapshot,
        ...events.map((event) => (typeof event === "string" ? message(event) : event)),
      );
      snapshot = result.snapshot;
      return { said: result.said, texts: result.said.map((say) => say.text) };
    },
    get snapshot() {
      if (!snapshot) throw new Error("nothing sent yet");
      return snapshot;
    },
    state: () => restored(machine, api.snapshot).value,
    context: () => restored(machine, api.snapshot).context,
  };
  return api;
}

/** A conversation that has already greeted a linked guardian and shows the menu. */
async function atMenu(overrides: Partial<Effects> = {}, guardian: VerifiedGuardian = GUARDIAN) {
  const chat = conversation({
    identify: async () => ({ status: "linked", guardian }),
    ...overrides,
  });
  await chat.send("hi");
  return chat;
}

const MENU: Option[] = [
  { id: "new", label: en.menuNewRequest() },
  { id: "mine", label: en.menuMyRequests() },
  { id: "announcements", label: en.menuAnnouncements() },
  { id: "talk", label: en.menuTalkToPerson() },
  { id: "language", label: en.menuLanguage() },
  { id: "settings", label: en.menuSettings() },
  { id: "help", label: en.menuHelp() },
];
const MENU_SAY: SayEvent = { type: "say", text: en.menuPrompt(), options: MENU };

const CATEGORY_OPTIONS: Option[] = CATEGORIES.map((id) => ({ id, label: en.categoryLabel(id) }));
const CATEGORY_SAY: SayEvent = { type: "say", text: en.pickCategory(), options: CATEGORY_OPTIONS };

const CONFIRM_OPTIONS: Option[] = [
  { id: "send", label: en.confirmSend() },
  { id: "cancel", label: en.confirmCancel() },
];

const EMPTY_DRAFT = { studentId: null, category: null, text: null, media: [], urgent: false };

// ---------------------------------------------------------------------------------------------
// Identifying and verifying
// ---------------------------------------------------------------------------------------------

describe("a new conversation", () => {
  it("waits in `new` before anything is said", () => {
    const { machine } = machineWith();
    const actor = createActor(machine, { input: HERE }).start();
    expect(actor.getSnapshot().value).toBe("new");
    expect(actor.getSnapshot().hasTag("waiting")).toBe(true);
    actor.stop();
  });

  it("identifies the address on the first message and greets a linked guardian with the menu", async () => {
    const chat = conversation();
    const { said } = await chat.send("hello");

    expect(chat.fns.identify).toHaveBeenCalledExactlyOnceWith({
      channel: HERE.channel,
      address: HERE.address,
    });
    expect(said).toEqual([
      {
        type: "say",
        text: en.greeting({ name: "Emily", school: "Greenfield Primary School" }),
      },
      MENU_SAY,
    ]);
    expect(said[1]?.options?.map((option) => option.id)).toEqual(
      expect.arrayContaining(["new", "mine", "help"]),
    );
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context().guardian).toEqual(GUARDIAN);
    expect(chat.context().offered).toEqual(MENU);
  });

  it("passes a phone number the parent shared as a contact to identify", async () => {
    const chat = conversation();
    await chat.send(message("", { sharedPhone: PHONE_ON_FILE }));
    expect(chat.fns.identify).toHaveBeenCalledWith({ ...HERE, sharedPhone: PHONE_ON_FILE });
  });

  it("sends a code to the phone on file and waits for it", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
    });
    const { said } = await chat.send("hello");

    expect(chat.fns.sendCode).toHaveBeenCalledExactlyOnceWith({ phone: PHONE_ON_FILE });
    expect(said).toEqual([{ type: "say", text: en.codeSent({ maskedPhone: MASKED }) }]);
    expect(chat.state()).toBe("awaitingCode");
    expect(chat.context()).toMatchObject({
      guardian: null,
      phoneOnFile: PHONE_ON_FILE,
      officePhone: OFFICE,
    });
  });

  it("says when too many codes were sent and still waits for a code", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
      sendCode: async () => ({ status: "rate_limited", retryAt: "10:30" }),
    });
    const { texts } = await chat.send("hello");
    expect(texts).toEqual([en.codeRateLimited({ retryAt: "10:30", officePhone: OFFICE })]);
    expect(chat.state()).toBe("awaitingCode");
  });
});

describe("an address that is not on file", () => {
  const unknownThenAsk = (overrides: Partial<Effects> = {}) =>
    conversation({
      identify: async () => ({ status: "unknown", officePhone: OFFICE }),
      ...overrides,
    });

  it("asks for the phone number the school has on file", async () => {
    const chat = unknownThenAsk();
    const { texts } = await chat.send("hello");
    expect(texts).toEqual([en.askPhone()]);
    expect(chat.state()).toBe("askingPhone");
    expect(chat.fns.sendCode).not.toHaveBeenCalled();
  });

  it("looks up the typed phone, says it is not registered (with the office phone) and keeps asking", async () => {
    const chat = unknownThenAsk();
    await chat.send("hello");
    const { texts } = await chat.send("  415 555 0123 ");

    expect(chat.fns.findPhoneOnFile).toHaveBeenCalledExactlyOnceWith({ text: "415 555 0123" });
    expect(texts).toEqual([en.notRegistered({ officePhone: OFFICE })]);
    expect(texts[0]).toContain(OFFICE);
    expect(chat.state()).toBe("askingPhone");
    expect(chat.fns.sendCode).not.toHaveBeenCalled();

    await chat.send("415 555 0999");
    expect(chat.fns.findPhoneOnFile).toHaveBeenCalledTimes(2);
    expect(chat.state()).toBe("askingPhone");
  });

  it("falls back to the office phone identify gave when the lookup has none", async () => {
    const chat = unknownThenAsk({ findPhoneOnFile: async () => ({ status: "unknown" }) });
    await chat.send("hello");
    const { texts } = await chat.send("415 555 0123");
    expect(texts).toEqual([en.notRegistered({ officePhone: OFFICE })]);
  });

  it("sends a code once the typed phone is on file", async () => {
    const chat = unknownThenAsk({
      findPhoneOnFile: async () => ({
        status: "on_file",
        phone: PHONE_ON_FILE,
        officePhone: OFFICE,
      }),
    });
    await chat.send("hello");
    const { texts } = await chat.send("415 555 0123");

    expect(chat.fns.sendCode).toHaveBeenCalledExactlyOnceWith({ phone: PHONE_ON_FILE });
    expect(texts).toEqual([en.codeSent({ maskedPhone: MASKED })]);
    expect(chat.state()).toBe("awaitingCode");
    expect(chat.context().phoneOnFile).toBe(PHONE_ON_FILE);
  });
});

describe("awaiting the code", () => {
  const awaitingCode = async (overrides: Partial<Effects> = {}) => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
      ...overrides,
    });
    await chat.send("hello");
    expect(chat.state()).toBe("awaitingCode");
    return chat;
  };

  it.each(["resend", "Resend", "new code", "reenviar"])('"%s" sends a new code', async (word) => {
    const chat = await awaitingCode();
    const { texts } = await chat.send(word);
    expect(chat.fns.sendCode).toHaveBeenCalledTimes(2);
    expect(chat.fns.sendCode).toHaveBeenLastCalledWith({ phone: PHONE_ON_FILE });
    expect(chat.fns.checkCode).not.toHaveBeenCalled();
    expect(texts).toEqual([en.codeSent({ maskedPhone: MASKED })]);
    expect(chat.state()).toBe("awaitingCode");
  });

  it("checks the code against the phone on file with the spaces stripped", async () => {
    const chat = await awaitingCode({ checkCode: async () => ({ status: "dead" }) });
    await chat.send(" 123 456 ");
    expect(chat.fns.checkCode).toHaveBeenCalledExactlyOnceWith({
      phone: PHONE_ON_FILE,
      code: "123456",
    });
  });

  it("says how many tries are left after a wrong code and keeps waiting", async () => {
    const chat = await awaitingCode({
      checkCode: async () => ({ status: "wrong", triesLeft: 2 }),
    });
    const { texts } = await chat.send("111111");
    expect(texts).toEqual([en.codeWrong({ triesLeft: 2 })]);
    expect(chat.state()).toBe("awaitingCode");
    expect(chat.context().guardian).toBeNull();
  });

  it("says the code is dead when it has expired or been used up", async () => {
    const chat = await awaitingCode({ checkCode: async () => ({ status: "dead" }) });
    const { texts } = await chat.send("111111");
    expect(texts).toEqual([en.codeDead()]);
    expect(chat.state()).toBe("awaitingCode");
  });

  it("stores the guardian on a right code, thanks them and shows the menu", async () => {
    const chat = await awaitingCode();
    const { said } = await chat.send("123456");
    expect(said).toEqual([{ type: "say", text: en.verified({ name: "Emily" }) }, MENU_SAY]);
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context()).toMatchObject({ guardian: GUARDIAN, phoneOnFile: null });
  });
});

// ---------------------------------------------------------------------------------------------
// The menu and a new request
// ---------------------------------------------------------------------------------------------

describe("the menu", () => {
  it.each(["1", "New request", "new", "new request", "1.", "1)"])(
    '"%s" starts a request, auto-picking an only child and asking the topic',
    async (choice) => {
      const chat = await atMenu();
      const { said } = await chat.send(choice);

      expect(said).toEqual([CATEGORY_SAY]);
      expect(said[0]?.options).toHaveLength(5);
      expect(chat.state()).toEqual({ verified: "pickingCategory" });
      expect(chat.context().draft).toEqual({ ...EMPTY_DRAFT, studentId: OLIVER.id });
      expect(chat.fns.listOpenTickets).not.toHaveBeenCalled();
    },
  );

  it('asks which child when there are two, offering "Name (Class)", then the topic', async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    const asked = await chat.send("New request");

    expect(asked.said).toEqual([
      {
        type: "say",
        text: en.pickChild(),
        options: [
          { id: "child:11", label: "Oliver (3B)" },
          { id: "child:12", label: "Ava (5A)" },
        ],
      },
    ]);
    expect(chat.state()).toEqual({ verified: "pickingChild" });

    const picked = await chat.send("2");
    expect(picked.said).toEqual([CATEGORY_SAY]);
    expect(chat.state()).toEqual({ verified: "pickingCategory" });
    expect(chat.context().draft.studentId).toBe(AVA.id);
  });

  it("picks a child by its button label", async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    await chat.send("new");
    const { said } = await chat.send("Ava (5A)");
    expect(said).toEqual([CATEGORY_SAY]);
    expect(chat.context().draft.studentId).toBe(AVA.id);
  });

  it("re-offers the same children when the choice is not understood", async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    const asked = await chat.send("new");
    const { said } = await chat.send("the tall one");
    expect(said).toEqual([
      { type: "say", text: en.notUnderstood(), options: asked.said[0]?.options },
    ]);
    expect(chat.state()).toEqual({ verified: "pickingChild" });

    const outOfRange = await chat.send("3");
    expect(outOfRange.texts).toEqual([en.notUnderstood()]);
    expect(chat.state()).toEqual({ verified: "pickingChild" });
  });

  it("re-offers the same topics when the topic is not understood", async () => {
    const chat = await atMenu();
    await chat.send("new");
    const { said } = await chat.send("sports day");
    expect(said).toEqual([{ type: "say", text: en.notUnderstood(), options: CATEGORY_OPTIONS }]);
    expect(chat.state()).toEqual({ verified: "pickingCategory" });
    expect(chat.context().draft.category).toBeNull();
  });

  it("treats free text as a new request, keeps the text and skips the writing step", async () => {
    const chat = await atMenu();
    const asked = await chat.send("  Oliver lost his jumper on Tuesday ");

    expect(chat.fns.listOpenTickets).toHaveBeenCalledExactlyOnceWith({ guardianId: 7 });
    expect(asked.said).toEqual([CATEGORY_SAY]);
    expect(chat.context().draft).toEqual({
      ...EMPTY_DRAFT,
      studentId: OLIVER.id,
      text: "Oliver lost his jumper on Tuesday",
    });

    const summary = await chat.send("Other");
    const expected = en.confirmSummary({
      child: "Oliver",
      category: en.categoryLabel("other"),
      text: "Oliver lost his jumper on Tuesday",
    });
    expect(summary.said).toEqual([
      {
        type: "say",
        text: expected,
        options: CONFIRM_OPTIONS,
        quoted: ["Oliver lost his jumper on Tuesday"],
      },
    ]);
    expect(summary.texts.join("\n")).not.toContain("Please write your message");
    expect(chat.state()).toEqual({ verified: "confirming" });
  });

  it("keeps free text through picking a child when there are two", async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    await chat.send("There is a dentist appointment on Friday");
    await chat.send("2");
    const summary = await chat.send("attendance");
    expect(summary.texts).toEqual([
      en.confirmSummary({
        child: "Ava",
        category: en.categoryLabel("attendance"),
        text: "There is a dentist appointment on Friday",
      }),
    ]);
  });

  it("skips the child question when the message names one child", async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    const asked = await chat.send("my daughter Ava has a dentist appointment");
    expect(asked.texts).toEqual([en.pickCategory()]);
    expect(chat.context().draft.studentId).toBe(AVA.id);
  });

  it.each(["Oliver", "oli", "Ava."])('takes "%s" at the child question', async (answer) => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    await chat.send("new");
    await chat.send(answer);
    expect(chat.state()).toEqual({ verified: "pickingCategory" });
  });

  it.each(["hi", "Hola!", "thanks", "Gracias"])(
    '"%s" at the menu is never a request',
    async (word) => {
      const chat = await atMenu();
      const { said } = await chat.send(word);
      expect(said.map((reply) => reply.text)).toEqual(
        /han|rac/i.test(word) ? [en.youreWelcome()] : [en.menuPrompt()],
      );
      expect(chat.fns.listOpenTickets).not.toHaveBeenCalled();
      expect(chat.context().draft.text).toBeNull();
      await chat.send("1");
      expect(chat.state()).toEqual({ verified: "pickingCategory" });
    },
  );

  it('"My requests" says there are none when nothing is open', async () => {
    const chat = await atMenu();
    const { said } = await chat.send("mine");
    expect(chat.fns.listOpenTickets).toHaveBeenCalledExactlyOnceWith({ guardianId: 7 });
    expect(said).toEqual([{ type: "say", text: en.noOpenRequests() }, MENU_SAY]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it('"My requests" lists each open request with its reference, status and last reply', async () => {
    const chat = await atMenu({
      listOpenTickets: async () => [
        {
          reference: "T-1001",
          status: "in_progress",
          category: "fees",
          lastReply: "We'll look into it",
        },
        { reference: "T-1002", status: "open", category: "transport" },
      ],
    });
    const { said } = await chat.send("2");
    const lines = ['T-1001 (in progress): "We\'ll look into it"', "T-1002 (open)"];
    expect(lines[0]).toBe(`T-1001 (${en.statusLabel("in_progress")}): "We'll look into it"`);
    // The staff member's reply is marked as their words, for SMS to leave as written.
    expect(said).toEqual([
      { type: "say", text: en.openRequests({ lines }), quoted: ["We'll look into it"] },
      MENU_SAY,
    ]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it('"Help" says the help text with the office phone and shows the menu again', async () => {
    const chat = await atMenu();
    const { said } = await chat.send("Help");
    expect(said).toEqual([{ type: "say", text: en.help({ officePhone: OFFICE }) }, MENU_SAY]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });
});

describe("writing, confirming and sending a request", () => {
  const atConfirming = async (overrides: Partial<Effects> = {}) => {
    const chat = await atMenu(overrides);
    await chat.send("New request");
    const write = await chat.send("Academics");
    expect(write.texts).toEqual([
      en.writeMessage({ child: "Oliver", category: en.categoryLabel("academics") }),
    ]);
    expect(chat.state()).toEqual({ verified: "writing" });
    const summary = await chat.send(" Question about the maths homework ");
    expect(chat.state()).toEqual({ verified: "confirming" });
    return { chat, summary };
  };

  it("asks for the message, then summarises child, topic and text with Send / Cancel", async () => {
    const { chat, summary } = await atConfirming();
    const text = summary.texts[0] ?? "";
    expect(summary.said).toEqual([
      {
        type: "say",
        text: en.confirmSummary({
          child: "Oliver",
          category: en.categoryLabel("academics"),
          text: "Question about the maths homework",
        }),
        options: CONFIRM_OPTIONS,
        quoted: ["Question about the maths homework"],
      },
    ]);
    expect(text).toContain("Oliver");
    expect(text).toContain(en.categoryLabel("academics"));
    expect(text).toContain("Question about the maths homework");
    expect(chat.context().draft).toEqual({
      studentId: OLIVER.id,
      category: "academics",
      text: "Question about the maths homework",
      media: [],
      urgent: false,
    });
  });

  it("keeps attachments sent with the message", async () => {
    const photo = { url: "https://media.example/letter.jpg" };
    const chat = await atMenu();
    await chat.send("new");
    await chat.send("fees");
    await chat.send(message("The fee letter", { media: [photo] }));
    await chat.send("Send");
    expect(chat.fns.createTicket).toHaveBeenCalledWith(
      expect.objectContaining({ text: "The fee letter", media: [photo] }),
    );
  });

  it('"Send" creates the ticket, says its reference and assignee, and returns to a clean menu', async () => {
    const { chat } = await atConfirming();
    const { said } = await chat.send("Send");

    expect(chat.fns.createTicket).toHaveBeenCalledExactlyOnceWith({
      guardianId: 7,
      schoolId: 1,
      studentId: OLIVER.id,
      category: "academics",
      text: "Question about the maths homework",
      media: [],
      urgent: false,
      language: "en",
    });
    expect(said).toEqual([
      { type: "say", text: en.ticketCreated({ reference: "T-1001", assignee: "Ms Rao" }) },
      MENU_SAY,
    ]);
    expect(said[0]?.text).toContain("T-1001");
    expect(said[0]?.text).toContain("Ms Rao");
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context().draft).toEqual(EMPTY_DRAFT);
  });

  it('"1" sends too', async () => {
    const { chat } = await atConfirming();
    await chat.send("1");
    expect(chat.fns.createTicket).toHaveBeenCalledOnce();
  });

  it.each([
    {
      rule: "open tickets",
      refusal: { rule: "open_tickets", limit: 3, openReferences: ["T-1", "T-2", "T-3"] },
      text: en.refusedOpenTickets({
        limit: 3,
        references: ["T-1", "T-2", "T-3"],
        officePhone: OFFICE,
      }),
    },
    {
      rule: "cooldown",
      refusal: { rule: "cooldown", minutesLeft: 4, until: "9:42 AM PST" },
      text: en.refusedCooldown({ minutesLeft: 4, until: "9:42 AM PST", officePhone: OFFICE }),
    },
    {
      rule: "weekly",
      refusal: { rule: "weekly", limit: 5, nextDate: "Monday 3 March" },
      text: en.refusedWeekly({ limit: 5, nextDate: "Monday 3 March", officePhone: OFFICE }),
    },
  ] satisfies { rule: string; refusal: TicketRefusal; text: string }[])(
    "says why a request was refused ($rule) and returns to the menu",
    async ({ refusal, text }) => {
      const { chat } = await atConfirming({
        createTicket: async () => ({ status: "refused", refusal, keptIn: "T-3" }),
      });
      const { said } = await chat.send("Send");
      // What the parent wrote is kept, and they are told where.
      const kept = en.keptInRequest({ reference: "T-3" });
      expect(said).toEqual([{ type: "say", text: `${text} ${kept}` }, MENU_SAY]);
      expect(chat.state()).toEqual({ verified: "menu" });
      expect(chat.context().draft).toEqual(EMPTY_DRAFT);
    },
  );

  it.each(["Cancel", "cancel", "2"])(
    '"%s" at the confirmation says nothing was sent and shows the menu',
    async (word) => {
      const { chat } = await atConfirming();
      const { said } = await chat.send(word);
      expect(said).toEqual([{ type: "say", text: en.cancelled() }, MENU_SAY]);
      expect(chat.fns.createTicket).not.toHaveBeenCalled();
      expect(chat.state()).toEqual({ verified: "menu" });
      expect(chat.context().draft).toEqual(EMPTY_DRAFT);
    },
  );

  it("tapping the Cancel button through parentEventFrom says nothing was sent", async () => {
    const { chat } = await atConfirming();
    const { said } = await chat.send(parentEventFrom({ text: en.confirmCancel() }));
    expect(said).toEqual([{ type: "say", text: en.cancelled() }, MENU_SAY]);
    expect(chat.fns.createTicket).not.toHaveBeenCalled();
  });

  it.each(["yes", "Sí", "ok"])('"%s" at the confirmation sends', async (answer) => {
    const { chat } = await atConfirming();
    await chat.send(answer);
    expect(chat.fns.createTicket).toHaveBeenCalledOnce();
  });

  it("re-offers Send / Cancel when the confirmation is not understood", async () => {
    const { chat } = await atConfirming();
    const { said } = await chat.send("maybe");
    expect(said).toEqual([{ type: "say", text: en.notUnderstood(), options: CONFIRM_OPTIONS }]);
    expect(chat.state()).toEqual({ verified: "confirming" });
    expect(chat.fns.createTicket).not.toHaveBeenCalled();
  });

  it("a photo sent at the menu survives the writing step", async () => {
    const photo = { url: "https://media.example/note.jpg" };
    const chat = await atMenu();
    await chat.send(message("", { media: [photo] }));
    await chat.send("Other");
    expect(chat.state()).toEqual({ verified: "writing" });
    await chat.send("This is the note from the teacher");
    await chat.send("Send");
    expect(chat.fns.createTicket).toHaveBeenCalledWith(
      expect.objectContaining({ text: "This is the note from the teacher", media: [photo] }),
    );
  });
});

describe("commands at any step", () => {
  it.each([
    ["menu", false],
    ["cancel", true],
    ["Menu", false],
    ["menú", false],
  ] as const)(
    '"%s" mid-request goes back to the menu and drops the draft',
    async (word, cancel) => {
      const event = parentEventFrom({ text: word });
      expect(event).toEqual(
        cancel ? { type: "command.menu", cancel: true } : { type: "command.menu" },
      );

      const chat = await atMenu();
      await chat.send("Oliver lost his jumper");
      expect(chat.context().draft.text).toBe("Oliver lost his jumper");
      expect(chat.state()).toEqual({ verified: "pickingCategory" });

      const { said } = await chat.send(event);
      // Dropping what was being written is said, however the parent went back.
      expect(said).toEqual([{ type: "say", text: en.cancelled() }, MENU_SAY]);
      expect(chat.state()).toEqual({ verified: "menu" });
      expect(chat.context().draft).toEqual(EMPTY_DRAFT);
      expect(chat.context().offered).toEqual(MENU);
    },
  );

  it("command.menu while writing drops the draft", async () => {
    const chat = await atMenu({}, GUARDIAN_OF_TWO);
    await chat.send("new");
    await chat.send("1");
    await chat.send("Transport");
    expect(chat.state()).toEqual({ verified: "writing" });
    await chat.send(parentEventFrom({ text: "menu" }));
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context().draft).toEqual(EMPTY_DRAFT);
  });

  it("command.help mid-request says the help with the office phone, then the menu", async () => {
    const chat = await atMenu();
    await chat.send("new");
    await chat.send("Fees");
    const event = parentEventFrom({ text: "help" });
    expect(event).toEqual({ type: "command.help" });

    const { said } = await chat.send(event);
    expect(said).toEqual([{ type: "say", text: en.help({ officePhone: OFFICE }) }, MENU_SAY]);
    expect(said[0]?.text).toContain(OFFICE);
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context().draft).toEqual(EMPTY_DRAFT);
  });

  it("command.menu at the code step sends no new code and says what is expected", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
    });
    await chat.send("hello");
    const { said } = await chat.send({ type: "command.menu" });
    expect(said).toEqual([{ type: "say", text: en.codeExpected({ maskedPhone: MASKED }) }]);
    expect(chat.fns.identify).toHaveBeenCalledTimes(1);
    expect(chat.fns.sendCode).toHaveBeenCalledTimes(1);
    expect(chat.state()).toBe("awaitingCode");
  });
});

describe("a long silence (idle)", () => {
  it("drops a half-finished request and shows the menu", async () => {
    const chat = await atMenu();
    await chat.send("new");
    const { said } = await chat.send({ type: "idle" });
    expect(said).toEqual([{ type: "say", text: en.idleReset() }, MENU_SAY]);
    expect(chat.state()).toEqual({ verified: "menu" });
    expect(chat.context().draft).toEqual(EMPTY_DRAFT);
  });

  it("says nothing at the menu and then handles the message as usual", async () => {
    const chat = await atMenu();
    const { said } = await chat.send({ type: "idle" }, message("mine"));
    expect(said).toEqual([{ type: "say", text: en.noOpenRequests() }, MENU_SAY]);
  });
});

// ---------------------------------------------------------------------------------------------
// Failures are states
// ---------------------------------------------------------------------------------------------

describe("a failing effect", () => {
  it("identify: apologises and waits in `new`, then tries again on the next message", async () => {
    let calls = 0;
    const chat = conversation({
      identify: async () => {
        calls += 1;
        if (calls === 1) throw new Error("database is down");
        return { status: "linked", guardian: GUARDIAN };
      },
    });
    const failed = chat.send("hello");
    await expect(failed).resolves.toBeDefined();
    expect((await failed).texts).toEqual([en.somethingWentWrong({})]);
    expect(chat.state()).toBe("new");

    await chat.send("hello?");
    expect(chat.fns.identify).toHaveBeenCalledTimes(2);
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it("findPhoneOnFile: apologises with the office phone and keeps asking", async () => {
    const chat = conversation({
      identify: async () => ({ status: "unknown", officePhone: OFFICE }),
      findPhoneOnFile: boom,
    });
    await chat.send("hello");
    const { texts } = await chat.send("415 555 0123");
    expect(texts).toEqual([en.somethingWentWrong({ officePhone: OFFICE })]);
    expect(chat.state()).toBe("askingPhone");
  });

  it("sendCode: apologises with the office phone and waits for a code (resend tries again)", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
      sendCode: boom,
    });
    const { texts } = await chat.send("hello");
    expect(texts).toEqual([en.somethingWentWrong({ officePhone: OFFICE })]);
    expect(chat.state()).toBe("awaitingCode");

    chat.fns.sendCode.mockImplementation(defaults.sendCode);
    const resent = await chat.send("resend");
    expect(resent.texts).toEqual([en.codeSent({ maskedPhone: MASKED })]);
  });

  it("checkCode: apologises and waits for the code again", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
      checkCode: boom,
    });
    await chat.send("hello");
    const { texts } = await chat.send("123456");
    expect(texts).toEqual([en.somethingWentWrong({ officePhone: OFFICE })]);
    expect(chat.state()).toBe("awaitingCode");
    expect(chat.context().phoneOnFile).toBe(PHONE_ON_FILE);

    chat.fns.checkCode.mockImplementation(defaults.checkCode);
    await chat.send("123456");
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it("createTicket: apologises with the school's office phone and shows the menu", async () => {
    const chat = await atMenu({ createTicket: boom });
    await chat.send("new");
    await chat.send("other");
    await chat.send("Please call me");
    const { said } = await chat.send("Send");
    expect(said).toEqual([
      { type: "say", text: en.somethingWentWrong({ officePhone: OFFICE }) },
      MENU_SAY,
    ]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it("createTicket failing drops the draft, so the next request asks for a new message", async () => {
    const chat = await atMenu({ createTicket: boom });
    await chat.send("new");
    await chat.send("other");
    await chat.send("Please call me");
    await chat.send("Send");
    expect(chat.context().draft).toEqual(EMPTY_DRAFT);

    await chat.send("New request");
    const { texts } = await chat.send("Fees");
    expect(texts).toEqual([
      en.writeMessage({ child: "Oliver", category: en.categoryLabel("fees") }),
    ]);
    expect(chat.state()).toEqual({ verified: "writing" });
  });

  it("loadSettings: apologises and shows the menu", async () => {
    const chat = await atMenu({ loadSettings: boom });
    const { said } = await chat.send({ type: "command.settings" });
    expect(said).toEqual([
      { type: "say", text: en.somethingWentWrong({ officePhone: OFFICE }) },
      MENU_SAY,
    ]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });

  it("changeSettings: apologises and shows the menu, with no confirmation", async () => {
    const chat = await atMenu({ changeSettings: boom });
    await chat.send({ type: "command.settings" });
    await chat.send("Announcements");
    const { said } = await chat.send("Off");
    expect(said).toEqual([
      { type: "say", text: en.somethingWentWrong({ officePhone: OFFICE }) },
      MENU_SAY,
    ]);
  });

  it("listOpenTickets: apologises and shows the menu", async () => {
    const chat = await atMenu({ listOpenTickets: boom });
    const { said } = await chat.send("My requests");
    expect(said).toEqual([
      { type: "say", text: en.somethingWentWrong({ officePhone: OFFICE }) },
      MENU_SAY,
    ]);
    expect(chat.state()).toEqual({ verified: "menu" });
  });
});

describe("settings", () => {
  it("the menu's Settings shows them, with the channel order only when there are two to order", async () => {
    const chat = await atMenu({
      loadSettings: vi
        .fn<Effects["loadSettings"]>()
        .mockResolvedValueOnce(SETTINGS)
        .mockResolvedValueOnce({ announcements: "off", channels: ["sms"] }),
    });
    const two = await chat.send("Settings");
    expect(two.said).toEqual([
      {
        type: "say",
        text: en.settingsSummary(SETTINGS),
        options: [
          { id: "announcements", label: "Announcements" },
          { id: "channels", label: "Channel order" },
          { id: "menu", label: "Back to menu" },
        ],
      },
    ]);
    expect(chat.fns.loadSettings).toHaveBeenCalledWith({ guardianId: 7, schoolId: 1 });
    const one = await chat.send({ type: "command.settings" });
    expect(one.said[0]?.options?.map((option) => option.id)).toEqual(["announcements", "menu"]);
  });

  it("changes announcements with the chosen mode and confirms in one sentence before the menu", async () => {
    const chat = await atMenu();
    await chat.send({ type: "command.settings" });
    await chat.send("1");
    const { said } = await chat.send("2");
    expect(chat.fns.changeSettings).toHaveBeenCalledWith({
      guardianId: 7,
      schoolId: 1,
      change: { announcements: "digest" },
    });
    expect(said).toEqual([
      { type: "say", text: en.announcementsChanged({ announcements: "digest" }) },
      MENU_SAY,
    ]);
  });

  it("offers the channels as loaded again and puts the chosen one first", async () => {
    const chat = await atMenu();
    await chat.send({ type: "command.settings" });
    const question = await chat.send("Channel order");
    expect(chat.fns.loadSettings).toHaveBeenCalledTimes(2);
    expect(question.said).toEqual([
      {
        type: "say",
        text: en.channelPrompt(),
        options: [
          { id: "channel:telegram", label: "Telegram" },
          { id: "channel:sms", label: "SMS" },
        ],
      },
    ]);
    const { texts } = await chat.send("SMS");
    expect(chat.fns.changeSettings).toHaveBeenCalledWith({
      guardianId: 7,
      schoolId: 1,
      change: { firstChannel: "sms" },
    });
    expect(texts).toEqual([
      en.channelOrderChanged({ channels: ["sms", "telegram"] }),
      en.menuPrompt(),
    ]);
  });

  it("a channel lost between the question and the answer shows the settings again", async () => {
    const chat = await atMenu({
      loadSettings: vi
        .fn<Effects["loadSettings"]>()
        .mockResolvedValueOnce(SETTINGS)
        .mockResolvedValueOnce({ ...SETTINGS, channels: ["sms"] }),
    });
    await chat.send({ type: "command.settings" });
    const { texts } = await chat.send("Channel order");
    expect(texts).toEqual([en.settingsSummary({ ...SETTINGS, channels: ["sms"] })]);
    expect(chat.state()).toEqual({ verified: "inSettings" });
  });

  it("does not change anything on an answer that is not a choice", async () => {
    const chat = await atMenu();
    await chat.send({ type: "command.settings" });
    await chat.send("Announcements");
    const { texts } = await chat.send("whenever");
    expect(texts).toEqual([en.notUnderstood()]);
    expect(chat.fns.changeSettings).not.toHaveBeenCalled();
    expect(chat.state()).toEqual({ verified: "choosingAnnouncements" });
  });

  it("before verification, settings starts verification like menu", async () => {
    const chat = conversation({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
    });
    const { texts } = await chat.send({ type: "command.settings" });
    expect(texts).toEqual([en.codeSent({ maskedPhone: MASKED })]);
    expect(chat.fns.loadSettings).not.toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------------------------------------
// Persistence
// ---------------------------------------------------------------------------------------------

describe("a persisted snapshot", () => {
  it("survives JSON and continues exactly like the live one", async () => {
    const { machine, fns } = machineWith({
      identify: async () => ({ status: "on_file", phone: PHONE_ON_FILE, officePhone: OFFICE }),
    });
    let live = (await step(machine, undefined, message("hello"))).snapshot;
    let stored: Snapshot<unknown> = JSON.parse(JSON.stringify(live));
    expect(restored(machine, stored).value).toBe("awaitingCode");
    expect(restored(machine, stored).context).toEqual(restored(machine, live).context);

    // Every step from here: once from the live snapshot, once from the JSON round trip.
    for (const text of ["123456", "New request", "Transport", "The bus was late", "Send"]) {
      const fromLive = await step(machine, live, message(text));
      const fromStored = await step(machine, stored, message(text));
      expect(fromStored.said).toEqual(fromLive.said);
      expect(restored(machine, fromStored.snapshot).value).toEqual(
        restored(machine, fromLive.snapshot).value,
      );
      expect(restored(machine, fromStored.snapshot).context).toEqual(
        restored(machine, fromLive.snapshot).context,
      );
      live = fromLive.snapshot;
      stored = JSON.parse(JSON.stringify(fromStored.snapshot));
    }

    expect(restored(machine, stored).value).toEqual({ verified: "menu" });
    expect(fns.createTicket).toHaveBeenCalledTimes(2);
    expect(fns.createTicket.mock.calls[1]).toEqual(fns.createTicket.mock.calls[0]);
    expect(fns.createTicket).toHaveBeenLastCalledWith(
      expect.objectContaining({ category: "transport", text: "The bus was late" }),
    );
  });

  it("one stored before the settings menu existed restores: its menu still answers, settings works", async () => {
    const { machine, fns } = machineWith();
    const first = await step(machine, undefined, message("hi"));
    // The menu it offered then had no Settings: "6" was Help.
    const before = JSON.parse(JSON.stringify(first.snapshot));
    before.context.offered = MENU.filter((option) => option.id !== "settings");
    const help = await step(machine, before, message("6"));
    expect(help.said[0]?.text).toBe(en.help({ officePhone: OFFICE }));
    const settings = await step(machine, before, { type: "command.settings" });
    expect(settings.said[0]?.text).toBe(en.settingsSummary(SETTINGS));
    expect(fns.loadSettings).toHaveBeenCalledTimes(1);
  });

  it("remembers the offered options, so a number still matches after a restore", async () => {
    const { machine } = machineWith({
      identify: async () => ({ status: "linked", guardian: GUARDIAN_OF_TWO }),
    });
    const first = await step(machine, undefined, message("hi"), message("new"));
    const stored: Snapshot<unknown> = JSON.parse(JSON.stringify(first.snapshot));
    const { said, snapshot } = await step(machine, stored, message("2"));
    expect(said).toEqual([CATEGORY_SAY]);
    expect(restored(machine, snapshot).context.draft.studentId).toBe(AVA.id);
  });
});

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

describe("matchOption", () => {
  const offered: Option[] = [
    { id: "new", label: "New request" },
    { id: "mine", label: "My requests" },
    { id: "help", label: "Help" },
  ];

  it("matches a number to the option in that position", () => {
    expect(matchOption("1", offered)).toEqual(offered[0]);
    expect(matchOption("3", offered)).toEqual(offered[2]);
    expect(matchOption(" 2 ", offered)).toEqual(offered[1]);
  });

  it("returns null for a number out of range", () => {
    expect(matchOption("0", offered)).toBeNull();
    expect(matchOption("4", offered)).toBeNull();
    expect(matchOption("12", offered)).toBeNull();
  });

  it("matches an id", () => {
    expect(matchOption("mine", offered)).toEqual(offered[1]);
    expect(matchOption("MINE", offered)).toEqual(offered[1]);
  });

  it("matches a label case-insensitively", () => {
    expect(matchOption("new request", offered)).toEqual(offered[0]);
    expect(matchOption("MY REQUESTS", offered)).toEqual(offered[1]);
    expect(matchOption("  Help  ", offered)).toEqual(offered[2]);
  });

  it('accepts a number written "2." or "2)"', () => {
    expect(matchOption("2.", offered)).toEqual(offered[1]);
    expect(matchOption("2)", offered)).toEqual(offered[1]);
  });

  it('matches a label that itself ends in ")"', () => {
    const children: Option[] = [
      { id: "child:11", label: "Oliver (3B)" },
      { id: "child:12", label: "Ava (5A)" },
    ];
    expect(matchOption("Ava (5A)", children)).toEqual(children[1]);
    expect(matchOption("oliver (3b)", children)).toEqual(children[0]);
    const tickets: Option[] = [{ id: "ticket:T-1001", label: "T-1001: Academics (Chloe)" }];
    expect(matchOption("T-1001: Academics (Chloe)", tickets)).toEqual(tickets[0]);
  });

  it("returns null for empty text, text that matches nothing, or nothing offered", () => {
    expect(matchOption("", offered)).toBeNull();
    expect(matchOption("   ", offered)).toBeNull();
    expect(matchOption(".", offered)).toBeNull();
    expect(matchOption("new requests", offered)).toBeNull();
    expect(matchOption("1", [])).toBeNull();
  });
});

describe("parentEventFrom", () => {
  it.each(["menu", "menú", " MENU ", "start", "restart", "inicio"])(
    '"%s" → command.menu',
    (text) => {
      expect(parentEventFrom({ text })).toEqual({ type: "command.menu" });
    },
  );

  it.each(["cancel", "Cancel", "cancelar"])('"%s" → command.menu that cancels', (text) => {
    expect(parentEventFrom({ text })).toEqual({ type: "command.menu", cancel: true });
  });

  it.each(["help", "ayuda", "?", " Help "])('"%s" → command.help', (text) => {
    expect(parentEventFrom({ text })).toEqual({ type: "command.help" });
  });

  it.each(["settings", " Settings ", "ajustes", "configuración", "preferencias"])(
    '"%s" → command.settings',
    (text) => {
      expect(parentEventFrom({ text })).toEqual({ type: "command.settings" });
    },
  );

  it("turns anything else into a message, keeping the text as written", () => {
    expect(parentEventFrom({ text: " Menu please " })).toEqual({
      type: "message",
      text: " Menu please ",
    });
  });

  it("keeps a shared phone and media on the message", () => {
    const media = [{ url: "https://media.example/a.jpg" }];
    expect(parentEventFrom({ text: "", sharedPhone: PHONE_ON_FILE, media })).toEqual({
      type: "message",
      text: "",
      sharedPhone: PHONE_ON_FILE,
      media,
    });
  });

  it("leaves out an empty media list and a missing shared phone", () => {
    const event = parentEventFrom({ text: "hello", media: [] });
    expect(event).toEqual({ type: "message", text: "hello" });
    expect(event).not.toHaveProperty("media");
    expect(event).not.toHaveProperty("sharedPhone");
  });
});

describe("chat commands (Telegram's /help, /new)", () => {
  it("reads a lone /word as the word, and leaves other slashes alone", () => {
    expect(parentEventFrom({ text: "/help" })).toEqual({ type: "command.help" });
    expect(parentEventFrom({ text: "/Menu" })).toEqual({ type: "command.menu" });
    expect(parentEventFrom({ text: "/new" })).toEqual({ type: "message", text: "new" });
    expect(parentEventFrom({ text: "1/2 of the fee" })).toEqual({
      type: "message",
      text: "1/2 of the fee",
    });
  });
});
