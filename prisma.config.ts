import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
let patched = false;

/**
 * prisma/orm issue 27403: Prisma's JavaScript schema engine reads catalog columns of type `name` (OID 19) and
 * `"char"` (OID 18), which @prisma/adapter-pg 6.19 refuses ("Column type 'name' could not be deserialized").
 * Both are plain strings, so we report those result columns as text (OID 25). Only the migrate CLI loads this
 * file; the application's client (lib/db.ts) is untouched.
 */
function reportCatalogTypesAsText(adapter: object): void {
  if (patched) return;
  // PrismaPgAdapter -> PgQueryable, which owns performIO for both connections and transactions.
  let proto: Record<string, unknown> | null = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'performIO')) proto = Object.getPrototypeOf(proto);
  if (!proto) throw new Error('prisma.config.ts: adapter-pg internals changed; revisit the issue 27403 workaround');
  const performIO = proto.performIO as (...a: unknown[]) => Promise<{ fields: { dataTypeID: number }[] }>;
  proto.performIO = async function (this: unknown, ...args: unknown[]) {
    const res = await performIO.apply(this, args);
    for (const f of res.fields ?? []) if (f.dataTypeID === NAME_OID || f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
    return res;
  };
  patched = true;
}

class PrismaPgForMigrations extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    reportCatalogTypesAsText(adapter);
    return adapter;
  }
  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    reportCatalogTypesAsText(adapter);
    return adapter;
  }
}

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPgForMigrations({ connectionString: process.env.DATABASE_URL });
  },
});
