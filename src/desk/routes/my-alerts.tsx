// /staff/me/alerts: the member's own alert settings, read and saved through the service and the
// input rules of GET/PUT /v1/staff/me/alerts.
import { type Context, Hono } from "hono";
import { PreferencesBody } from "../../routes/v1/staff-alerts";
import {
  type AlertSettingsView,
  readAlertSettings,
  saveAlertPreferences,
} from "../../services/member-alert-settings";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { type MyAlertsDraft, type MyAlertsErrors, MyAlertsPage } from "../views/my-alerts";
import { renderPage } from "../views/render";

const text = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

/** The form as the settings fill it. */
function draftOf(settings: AlertSettingsView): MyAlertsDraft {
  const own = typeof settings.quietHours === "object" ? settings.quietHours : null;
  return {
    mode: settings.mode,
    quiet: settings.quietHours === "school" ? "school" : own ? "own" : "none",
    start: own?.start ?? settings.schoolQuietHours?.start ?? "",
    end: own?.end ?? settings.schoolQuietHours?.end ?? "",
  };
}

export function myAlertRoutes(deps: DeskDeps) {
  async function page(
    c: Context<DeskEnv>,
    options: { draft?: MyAlertsDraft; errors?: MyAlertsErrors; notice?: string; status?: 422 } = {},
  ) {
    const session = c.get("desk");
    const settings = await readAlertSettings(deps, session.viewer.staffId, session.viewer.schoolId);
    if (!settings) return c.text("This staff account is no longer active", 401);
    return renderPage(
      c,
      <MyAlertsPage
        session={session}
        settings={settings}
        draft={options.draft ?? draftOf(settings)}
        {...(options.errors ? { errors: options.errors } : {})}
        notice={options.notice}
      />,
      options.status ?? 200,
    );
  }

  return new Hono<DeskEnv>()
    .get("/alerts", (c) =>
      page(c, c.req.query("saved") ? { notice: "Your alert settings are saved." } : {}),
    )
    .post("/alerts", async (c) => {
      const form = await c.req.parseBody();
      const draft: MyAlertsDraft = {
        mode: text(form, "mode"),
        quiet:
          (["school", "own", "none"] as const).find((q) => q === text(form, "quiet")) ?? "school",
        start: text(form, "start"),
        end: text(form, "end"),
      };
      const parsed = PreferencesBody.safeParse({
        mode: draft.mode,
        quietHours:
          draft.quiet === "own"
            ? { start: draft.start, end: draft.end }
            : draft.quiet === "school"
              ? "school"
              : null,
      });
      if (!parsed.success) {
        const paths = parsed.error.issues.map((issue) => issue.path[0]);
        return page(c, {
          status: 422,
          draft,
          errors: {
            ...(paths.includes("mode") ? { mode: "Choose which alerts you want." } : {}),
            ...(paths.includes("quietHours")
              ? { quietHours: "Give your own quiet hours as two times, from and until." }
              : {}),
          },
        });
      }
      const { viewer } = c.get("desk");
      const saved = await saveAlertPreferences(deps, viewer.staffId, viewer.schoolId, parsed.data);
      if (!saved) return c.text("This staff account is no longer active", 401);
      return c.redirect("/staff/me/alerts?saved=1", 303);
    });
}
