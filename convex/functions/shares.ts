import { ConvexError, v } from "convex/values";
import { mutation, query } from "./_generated/server";
import type { QueryCtx } from "./_generated/server";
import { shareFields } from "./schema";

const MAX_LIST = 200;

async function byToken(ctx: QueryCtx, token: string) {
  return await ctx.db
    .query("shares")
    .withIndex("by_token", (q) => q.eq("token", token))
    .unique();
}

/** Keep a link, once per token: a retried push finds the first copy. A revocation is kept from
 * whichever machine sends it, and nothing un-revokes a link. */
export const create = mutation({
  args: shareFields,
  returns: v.object({ id: v.id("shares"), created: v.boolean() }),
  handler: async (ctx, args) => {
    if (args.token.length < 22) {
      throw new ConvexError("the share token is too short: a link needs at least 128 random bits");
    }
    const existing = await byToken(ctx, args.token);
    if (existing) {
      if (args.revokedAt !== undefined && existing.revokedAt === undefined) {
        await ctx.db.patch(existing._id, { revokedAt: args.revokedAt });
      }
      return { id: existing._id, created: false };
    }
    const id = await ctx.db.insert("shares", args);
    return { id, created: true };
  },
});

/** One link by its token, revoked or not (the caller decides), or null. */
export const get = query({
  args: { token: v.string() },
  handler: async (ctx, { token }) => await byToken(ctx, token),
});

/** The newest links, newest first, each with its generation's prompt (null when the generation
 * has not reached Convex). */
export const list = query({
  args: { limit: v.optional(v.number()) },
  handler: async (ctx, { limit }) => {
    const count = Math.min(Math.max(Math.floor(limit ?? 50), 1), MAX_LIST);
    const shares = await ctx.db.query("shares").withIndex("by_created").order("desc").take(count);
    return await Promise.all(
      shares.map(async (share) => {
        const generation = await ctx.db
          .query("generations")
          .withIndex("by_client_id", (q) => q.eq("clientId", share.generationId))
          .unique();
        return { ...share, prompt: generation?.prompt ?? null };
      }),
    );
  },
});
