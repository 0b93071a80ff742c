import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaffWithTokens,
  type TestParentline,
} from "../support/parentline";

async function refresh(app: TestParentline, refreshToken: string) {
  return app.json("POST", "/v1/auth/refresh", { refreshToken });
}

describe("staff refresh tokens", () => {
  it("rotate on every use: the new pair works, the access token is fresh", async () => {
    const app = await createTestParentline();
    const first = await signInStaffWithTokens(app, STAFF.admin);
    app.clock.advance(16 * 60_000); // the access token has expired…
    expect((await app.json("GET", "/v1/tickets", undefined, first.accessToken)).status).toBe(401);
    const rotated = await refresh(app, first.refreshToken); // …the refresh token has not
    expect(rotated.status).toBe(200);
    const pair = (await rotated.json()) as {
      accessToken: string;
      refreshToken: string;
      staff: { id: number };
    };
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    expect((await app.json("GET", "/v1/tickets", undefined, pair.accessToken)).status).toBe(200);
    expect((await refresh(app, pair.refreshToken)).status).toBe(200);
  });

  it("are stored only as hashes", async () => {
    const app = await createTestParentline();
    const { refreshToken } = await signInStaffWithTokens(app, STAFF.admin);
    const rows = await app.db.select().from(schema.refreshTokens);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(refreshToken);
  });

  it("revoke the whole family when a spent token is presented again", async () => {
    const app = await createTestParentline();
    const stolen = (await signInStaffWithTokens(app, STAFF.admin)).refreshToken;
    const legit = ((await (await refresh(app, stolen)).json()) as { refreshToken: string })
      .refreshToken;
    const reuse = await refresh(app, stolen);
    expect(reuse.status).toBe(401);
    expect(((await reuse.json()) as { error: { code: string } }).error.code).toBe("refresh_reused");
    // The token rotated from it, in the legitimate user's hands, is dead too.
    const after = await refresh(app, legit);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe(
      "refresh_revoked",
    );
  });

  it("let only one of two racing refreshes with one token win, and revoke the family", async () => {
    const app = await createTestParentline();
    const { refreshToken } = await signInStaffWithTokens(app, STAFF.admin);
    const statuses = (
      await Promise.all([refresh(app, refreshToken), refresh(app, refreshToken)])
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 401]);
  });

  it("stop working at logout, for every token of that sign-in", async () => {
    const app = await createTestParentline();
    const first = await signInStaffWithTokens(app, STAFF.admin);
    const second = (
      (await (await refresh(app, first.refreshToken)).json()) as { refreshToken: string }
    ).refreshToken;
    const other = await signInStaffWithTokens(app, STAFF.admin); // another device
    expect((await app.json("POST", "/v1/auth/logout", { refreshToken: second })).status).toBe(204);
    expect((await refresh(app, second)).status).toBe(401);
    expect((await refresh(app, other.refreshToken)).status).toBe(200);
    expect(
      (await app.json("POST", "/v1/auth/logout", { refreshToken: "x".repeat(43) })).status,
    ).toBe(204);
  });

  it("expire after 30 days and refuse unknown or malformed tokens", async () => {
    const app = await createTestParentline();
    const { refreshToken } = await signInStaffWithTokens(app, STAFF.admin);
    expect(
      ((await (await refresh(app, "y".repeat(43))).json()) as { error: { code: string } }).error
        .code,
    ).toBe("refresh_unknown");
    expect((await refresh(app, "short")).status).toBe(422);
    app.clock.advance(30 * 86_400_000);
    expect(
      ((await (await refresh(app, refreshToken)).json()) as { error: { code: string } }).error.code,
    ).toBe("refresh_expired");
  });

  it("stop working for a staff member who was deactivated", async () => {
    const app = await createTestParentline();
    const { refreshToken } = await signInStaffWithTokens(app, STAFF.admin);
    await app.db
      .update(schema.staff)
      .set({ active: false })
      .where(eq(schema.staff.phone, STAFF.admin));
    expect((await refresh(app, refreshToken)).status).toBe(401);
  });
});
