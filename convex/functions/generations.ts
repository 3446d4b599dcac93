import { ConvexError, v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { generationFields } from "./schema";

const MAX_RECENT = 200;

/** Log a generation, once per clientId: a retried push must never make a duplicate. Pushing the
 * same clientId again updates that one document with the journal's latest copy (which gains the
 * preview's checks after the answer). */
export const create = mutation({
  args: generationFields,
  returns: v.object({ id: v.id("generations"), created: v.boolean() }),
  handler: async (ctx, args) => {
    if (!args.clientId.trim()) {
      throw new ConvexError("clientId is empty: every generation needs the id its machine gave it");
    }
    const existing = await ctx.db
      .query("generations")
      .withIndex("by_client_id", (q) => q.eq("clientId", args.clientId))
      .unique();
    if (existing) {
      await ctx.db.replace(existing._id, args);
      return { id: existing._id, created: false };
    }
    const id = await ctx.db.insert("generations", args);
    return { id, created: true };
  },
});

/** The newest generations, newest first, optionally of one workspace. */
export const recent = query({
  args: { limit: v.optional(v.number()), workspace: v.optional(v.string()) },
  handler: async (ctx, { limit, workspace }) => {
    const count = Math.min(Math.max(Math.floor(limit ?? 20), 1), MAX_RECENT);
    const newest =
      workspace === undefined
        ? ctx.db.query("generations").withIndex("by_created")
        : ctx.db.query("generations").withIndex("by_workspace", (q) => q.eq("workspace", workspace));
    return await newest.order("desc").take(count);
  },
});

/** One generation by the id its machine gave it, or null. */
export const get = query({
  args: { clientId: v.string() },
  handler: async (ctx, { clientId }) => {
    return await ctx.db
      .query("generations")
      .withIndex("by_client_id", (q) => q.eq("clientId", clientId))
      .unique();
  },
});

/** Every version of a conversation (the clientId of its first version), oldest first. Records
 * pushed before versions were kept are conversations of their own, found by their clientId. */
export const timeline = query({
  args: { conversationId: v.string() },
  handler: async (ctx, { conversationId }) => {
    const versions = await ctx.db
      .query("generations")
      .withIndex("by_conversation", (q) => q.eq("conversationId", conversationId))
      .order("asc")
      .take(MAX_RECENT);
    if (versions.some((doc) => doc.clientId === conversationId)) {
      return versions;
    }
    const first = await ctx.db
      .query("generations")
      .withIndex("by_client_id", (q) => q.eq("clientId", conversationId))
      .unique();
    return first ? [first, ...versions] : versions;
  },
});
