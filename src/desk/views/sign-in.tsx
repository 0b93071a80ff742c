// The sign-in page: a phone number, then the one-time code sent to it.
import type { FC } from "hono/jsx";
import { FieldError, invalidWhen, Layout, Notices } from "./layout";

export interface SignInProps {
  /** The sign-in page's own path: /staff, or /t/{tenant}/staff on Workers. */
  signInPath: string;
  step: "phone" | "code";
  phone?: string;
  next?: string;
  /** Said above the form: the session ended, a code is on its way. */
  notice?: string;
  errors?: { phone?: string; code?: string; form?: string };
}

export const SignInPage: FC<SignInProps> = ({
  signInPath,
  step,
  phone,
  next,
  notice,
  errors = {},
}) => (
  <Layout title="Sign in">
    <section class="narrow">
      <h1>Sign in to the staff desk</h1>
      <Notices notice={notice} error={errors.form} />
      {step === "phone" ? (
        <form method="post" action={`${signInPath}/sign-in/code`} class="stack">
          <input type="hidden" name="next" value={next ?? ""} />
          <label for="phone">Your mobile number</label>
          <input
            id="phone"
            name="phone"
            type="tel"
            autocomplete="tel"
            required
            value={phone ?? ""}
            {...invalidWhen(errors.phone, "phone-error", "phone-hint")}
          />
          <p class="hint" id="phone-hint">
            The number the school has on file for you. We send a code to it.
          </p>
          <FieldError id="phone-error" message={errors.phone} />
          <button type="submit">Send me a code</button>
        </form>
      ) : (
        <form method="post" action={`${signInPath}/sign-in`} class="stack">
          <input type="hidden" name="next" value={next ?? ""} />
          <input type="hidden" name="phone" value={phone ?? ""} />
          <p>
            Code sent to <strong>{phone}</strong> (if it belongs to staff).{" "}
            <a href={signInPath}>Use another number</a>
          </p>
          <label for="code">The 6-digit code</label>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9 ]{6,8}"
            required
            {...invalidWhen(errors.code, "code-error")}
          />
          <FieldError id="code-error" message={errors.code} />
          <button type="submit">Sign in</button>
        </form>
      )}
    </section>
  </Layout>
);
