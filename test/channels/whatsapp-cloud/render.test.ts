// The renderer owns Meta's limits: at most 3 reply buttons with 20-character titles, lists of at
// most 10 rows with 24-character titles, 1024 characters of interactive body, 4096 of text, and
// template parameters without line breaks.
import { describe, expect, it } from "vitest";
import {
  optionsShape,
  parseTemplateSetting,
  renderSessionMessage,
  renderTemplateMessage,
  WHATSAPP_LIMITS,
} from "../../../bots/whatsapp-cloud";
import type { ReplyOption } from "../../../src/contracts";
import { fixture } from "./support";

const TO = "+15555550142";
const options = (...labels: string[]): ReplyOption[] =>
  labels.map((label, index) => ({ id: `opt_${index + 1}`, label }));
const numbered = (count: number) =>
  options(...Array.from({ length: count }, (_, index) => `Choice ${index + 1}`));

describe("rendering a WhatsApp Cloud message", () => {
  it("renders two options as the recorded reply-button request (without its optional header and footer)", () => {
    const recorded = fixture("send-interactive-request");
    const { header: _header, footer: _footer, ...interactive } = recorded.interactive;
    const [request] = renderSessionMessage({
      address: `+${recorded.to}`,
      text: recorded.interactive.body.text,
      options: recorded.interactive.action.buttons.map(
        (button: { reply: { id: string; title: string } }) => ({
          id: button.reply.id,
          label: button.reply.title,
        }),
      ),
    });
    expect(request).toEqual({ ...recorded, interactive });
  });

  it.each([
    { why: "one option", given: numbered(1), shape: "buttons" },
    { why: "three options", given: numbered(3), shape: "buttons" },
    {
      why: "a title of exactly 20 characters",
      given: options("x".repeat(20), "No"),
      shape: "buttons",
    },
    { why: "four options", given: numbered(4), shape: "list" },
    { why: "ten options", given: numbered(10), shape: "list" },
    { why: "a title over 20 characters", given: options("x".repeat(21), "No"), shape: "list" },
    { why: "two options with the same title", given: options("Same", "Same"), shape: "list" },
    { why: "eleven options", given: numbered(11), shape: "numbered" },
    {
      why: "two options with the same id",
      given: [
        { id: "a", label: "One" },
        { id: "a", label: "Two" },
      ],
      shape: "numbered",
    },
    {
      why: "an id longer than a list row allows",
      given: [...numbered(4), { id: "x".repeat(201), label: "Long id" }],
      shape: "numbered",
    },
  ])("shows $why as $shape", ({ given, shape }) => {
    expect(optionsShape(given)).toBe(shape);
  });

  it("renders four to ten options as a one-section list, cutting long titles and keeping them whole in the description", () => {
    const long = "Benjamin Alexander Johnson (4B)";
    const [request] = renderSessionMessage({
      address: TO,
      text: "Which child is this about?",
      options: [...numbered(3), { id: "child:9", label: long }],
    });
    expect(request).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "15555550142",
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "Which child is this about?" },
        action: {
          button: "☰",
          sections: [
            {
              rows: [
                { id: "opt_1", title: "Choice 1" },
                { id: "opt_2", title: "Choice 2" },
                { id: "opt_3", title: "Choice 3" },
                { id: "child:9", title: "Benjamin Alexander John…", description: long },
              ],
            },
          ],
        },
      },
    });
    if (request?.type !== "interactive" || request.interactive.type !== "list") throw new Error();
    for (const row of request.interactive.action.sections[0]?.rows ?? [])
      expect(row.title.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.rowTitleLength);
  });

  it("numbers more than ten options in the text", () => {
    const requests = renderSessionMessage({
      address: TO,
      text: "Pick one:",
      options: numbered(11),
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ type: "text", to: "15555550142" });
    const body = requests[0]?.type === "text" ? requests[0].text.body : "";
    expect(body.startsWith("Pick one:\n\n1. Choice 1\n2. Choice 2\n")).toBe(true);
    expect(body.endsWith("11. Choice 11")).toBe(true);
  });

  it("splits a long text at 4096 characters on sentence boundaries, in order", () => {
    const sentence = "The school bus leaves at eight from the main gate. ";
    const text = sentence.repeat(100).trim(); // 5099 characters
    const requests = renderSessionMessage({ address: TO, text });
    expect(requests.map((request) => request.type)).toEqual(["text", "text"]);
    const bodies = requests.map((request) => (request.type === "text" ? request.text.body : ""));
    for (const body of bodies) {
      expect(body.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.textLength);
      expect(body.endsWith(".")).toBe(true);
    }
    expect(bodies.join(" ")).toBe(text);
  });

  it("keeps an interactive body within 1024 characters, sending the text before it as plain text", () => {
    const sentence = "Please read the attached note about next week. ";
    const text = sentence.repeat(30).trim(); // 1409 characters
    const requests = renderSessionMessage({ address: TO, text, options: options("Yes", "No") });
    expect(requests.map((request) => request.type)).toEqual(["text", "interactive"]);
    const last = requests[1];
    if (last?.type !== "interactive") throw new Error("the options ride on the last part");
    expect(last.interactive.body.text.length).toBeLessThanOrEqual(
      WHATSAPP_LIMITS.interactiveBodyLength,
    );
    expect(last.interactive.type).toBe("button");
    const first = requests[0]?.type === "text" ? requests[0].text.body : "";
    expect(`${first} ${last.interactive.body.text}`).toBe(text);
  });

  it("renders a template with the text as its one body parameter, options numbered and line breaks flattened", () => {
    const requests = renderTemplateMessage(
      {
        address: TO,
        text: "Your request #12 was answered:\n\n  Bus 4 is late today.",
        options: options("Thanks", "Reopen"),
      },
      { name: "parentline_update", language: "en_GB" },
    );
    expect(requests).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "15555550142",
        type: "template",
        template: {
          name: "parentline_update",
          language: { code: "en_GB" },
          components: [
            {
              type: "body",
              parameters: [
                {
                  type: "text",
                  text: "Your request #12 was answered: Bus 4 is late today. 1. Thanks 2. Reopen",
                },
              ],
            },
          ],
        },
      },
    ]);
  });

  it("sends a text longer than one template parameter as several templates", () => {
    const text = "An announcement sentence for every family. ".repeat(50).trim(); // 2149 characters
    const requests = renderTemplateMessage(
      { address: TO, text },
      { name: "parentline_update", language: "en_US" },
    );
    expect(requests).toHaveLength(3);
    const parameters = requests.map((request) =>
      request.type === "template"
        ? (request.template.components[0]?.parameters[0]?.text ?? "")
        : "",
    );
    for (const parameter of parameters) {
      expect(parameter.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.templateParameterLength);
      expect(parameter).not.toMatch(/[\n\t]| {5}/);
    }
    expect(parameters.join(" ")).toBe(text);
  });

  it.each([
    { setting: "parentline_update", template: { name: "parentline_update", language: "en_US" } },
    { setting: "parentline_update:es", template: { name: "parentline_update", language: "es" } },
    { setting: "school_reply_2:pt_BR", template: { name: "school_reply_2", language: "pt_BR" } },
    { setting: "Parentline Update", template: null },
    { setting: "parentline:", template: null },
    { setting: "parentline:english", template: null },
  ])("reads WHATSAPP_CLOUD_TEMPLATE=$setting", ({ setting, template }) => {
    expect(parseTemplateSetting(setting)).toEqual(template);
  });
});
