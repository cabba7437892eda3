import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { databaseUrl } from './env';

const globalForPrisma = globalThis as unknown as { __lmsPrisma?: PrismaClient };

/**
 * One Prisma client per process, shared by web, worker and CLI. Cached on globalThis so Next's hot reload in
 * development does not open a new pool on every change until Postgres refuses connections.
 */
export function getDb(): PrismaClient {
  if (!globalForPrisma.__lmsPrisma) {
    const adapter = new PrismaPg({ connectionString: databaseUrl(), max: 10 });
    globalForPrisma.__lmsPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.__lmsPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.__lmsPrisma?.$disconnect();
  globalForPrisma.__lmsPrisma = undefined;
}

export * from './generated/prisma/client';
