// Modules the Worker's bundler supplies: .sql files as text (wrangler.toml [[rules]]), and
// drizzle-kit's migrations index over them.

declare module "*.sql" {
  const text: string;
  export default text;
}

declare module "*/migrations/migrations.js" {
  const bundle: {
    journal: { entries: { idx: number; when: number; tag: string; breakpoints: boolean }[] };
    migrations: Record<string, string>;
  };
  export default bundle;
}

declare module "*.css" {
  const text: string;
  export default text;
}

declare module "*/desk/assets/desk.js" {
  const text: string;
  export default text;
}
