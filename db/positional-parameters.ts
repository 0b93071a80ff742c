// better-sqlite3 binds named parameters (`@name`, `:name`, `$name`) from an object; a Durable
// Object's `sql.exec` binds only positional `?`. This rewrites a statement's named parameters as
// `?` and binds each call's values in the order the SQL names them, so one SQL text serves both.

export interface PositionalStatement {
  sql: string;
  /** The positional values for one call's arguments, in better-sqlite3's calling convention. */
  bind(args: readonly unknown[]): unknown[];
}

const isNamedBag = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  !ArrayBuffer.isView(value) &&
  !(value instanceof ArrayBuffer);

/** Named parameters in order; null for an anonymous `?`. Strings, identifiers and comments skipped. */
function scan(source: string): { sql: string; names: (string | null)[] } {
  const names: (string | null)[] = [];
  let sql = "";
  let index = 0;
  while (index < source.length) {
    const char = source[index] as string;
    const rest = source.slice(index);
    const quoted =
      /^('(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (quoted) {
      sql += quoted[0];
      index += quoted[0].length;
      continue;
    }
    if (char === "?") {
      if (/^\?\d/.test(rest)) throw new Error(`numbered parameters are not supported: ${source}`);
      names.push(null);
      sql += "?";
      index += 1;
      continue;
    }
    const named = /^[@:$]([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (named) {
      names.push(named[1] as string);
      sql += "?";
      index += named[0].length;
      continue;
    }
    sql += char;
    index += 1;
  }
  return { sql, names };
}

export function positionalStatement(source: string): PositionalStatement {
  const { sql, names } = scan(source);
  const usesNames = names.some((name) => name !== null);
  return {
    sql,
    bind(args) {
      const last = args[args.length - 1];
      const bag = usesNames && isNamedBag(last) ? last : undefined;
      const positional = (bag ? args.slice(0, -1) : args).flat();
      let next = 0;
      return names.map((name) => {
        if (name === null) {
          if (next >= positional.length)
            throw new RangeError(`too few parameter values: ${source}`);
          return positional[next++];
        }
        if (!bag || !(name in bag)) throw new RangeError(`missing named parameter "${name}"`);
        return bag[name];
      });
    },
  };
}
