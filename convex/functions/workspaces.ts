import { ConvexError, v } from "convex/values";
import { mutation, query } from "./_generated/server";
import { workspaceFields } from "./schema";

const MAX_NAME = 40;

/** Spaces trimmed and runs of white space made one, as the Python client does before it pushes. */
function tidy(name: string): string {
  return name.trim().replace(/\s+/g, " ");
}

/** Create a workspace, or return the one that already has this clientId or this name: two
 * machines that each made "Line 2" while offline end up sharing one workspace. */
export const create = mutation({
  args: workspaceFields,
  returns: v.object({ id: v.id("workspaces"), created: v.boolean(), name: v.string() }),
  handler: async (ctx, args) => {
    const name = tidy(args.name);
    if (!name) {
      throw new ConvexError("the workspace name is empty");
    }
    if (name.length > MAX_NAME) {
      throw new ConvexError(`the workspace name is longer than ${MAX_NAME} characters`);
    }
    const key = name.toLowerCase();
    const existing =
      (await ctx.db
        .query("workspaces")
        .withIndex("by_client_id", (q) => q.eq("clientId", args.clientId))
        .unique()) ??
      (await ctx.db
        .query("workspaces")
        .withIndex("by_name_key", (q) => q.eq("nameKey", key))
        .unique());
    if (existing) {
      return { id: existing._id, created: false, name: existing.name };
    }
    const id = await ctx.db.insert("workspaces", { ...args, name, nameKey: key });
    return { id, created: true, name };
  },
});

/** Every workspace, oldest first. */
export const list = query({
  args: {},
  handler: async (ctx) => {
    return await ctx.db.query("workspaces").withIndex("by_created").order("asc").take(1000);
  },
});
