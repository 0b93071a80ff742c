import { z } from "zod";

/** A yes/no variable: 1/true or 0/false. */
export const flag = z
  .enum(["0", "1", "true", "false"])
  .transform((value) => value === "1" || value === "true");
