import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import { endSessions, linkGithubAccount, tokenIdentity } from '@/lib/auth/users';
import { authorizeCredentials } from '@/lib/auth/credentials';
import { clientAddress } from '@/lib/security/client-address';
import { safeCallbackPath } from '@/lib/auth/callback-url';
import { getEnv } from '@/lib/env';
import { decodeSessionToken, encodeSessionToken } from './jwt';

/** GitHub sign-in exists only when its two variables are set. */
function githubProvider() {
  const { GITHUB_ID: id, GITHUB_SECRET: secret } = getEnv();
  if (!id || !secret) return [];
  return [GitHubProvider({ clientId: id, clientSecret: secret })];
}

export const authOptions: NextAuthOptions = {
  // Credentials sign-in requires JWT sessions; each request still re-reads the user (app/_server/session.ts), so a
  // role change or a password change takes effect at once.
  session: { strategy: 'jwt', maxAge: 7 * 24 * 3600 },
  // next-auth's token format, with the derived key kept between requests (app/_server/jwt.ts).
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  pages: { signIn: '/login' },
  // Cookies are HttpOnly and SameSite=Lax (next-auth's defaults), and Secure (with the __Secure- prefix) behind TLS.
  useSecureCookies: getEnv().NEXTAUTH_URL?.startsWith('https://') ?? false,
  providers: [
    CredentialsProvider({
      name: 'Email',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, req) {
        // The right end of X-Forwarded-For (server.ts appends the socket's address); a client's own entries are ignored.
        const address = clientAddress((req?.headers ?? {}) as Record<string, string | undefined>);
        return (await authorizeCredentials(raw, address)) as never;
      },
    }),
    ...githubProvider(),
  ],
  events: {
    // Signing out ends the session for real: the token's session version no longer matches, so a copy of the cookie
    // taken before is refused too (this signs the account out on every device, the safe default for a shared lab PC).
    async signOut({ token }) {
      const uid = (token as { uid?: unknown } | null)?.uid;
      if (typeof uid === 'string') await endSessions(uid).catch(() => {});
    },
  },
  callbacks: {
    // Every callbackUrl next-auth takes from a request (query, form, cookie) comes through here: a path on this site
    // or the site's root, never another origin however the URL is written.
    async redirect({ url, baseUrl }) {
      return new URL(safeCallbackPath(url, baseUrl, '/'), baseUrl).toString();
    },
    async signIn({ user, account, profile }) {
      if (account?.provider !== 'github') return true;
      const email = (profile as { email?: string } | undefined)?.email ?? user.email;
      if (!email) return false;
      await linkGithubAccount({ githubId: String(account.providerAccountId), email, name: user.name ?? email });
      return true;
    },
    async jwt({ token, user, account }) {
      if (user) {
        const u = await tokenIdentity(account?.provider === 'github' ? { githubId: String(account.providerAccountId) } : { userId: user.id });
        if (u) {
          token.uid = u.uid;
          token.sv = u.sv;
        }
      }
      return token;
    },
    async session({ session, token }) {
      // Only the ids travel in the session; name and role are read from the database per request.
      return { ...session, uid: token.uid, sv: token.sv } as typeof session;
    },
  },
};
