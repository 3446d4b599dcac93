import { expect, test } from "vitest";
import { api } from "./_generated/api";
import { backend } from "./test.setup";
// A journal record as the Python client sends it (tests/convex_sample.py keeps the two in step).
import journalRecord from "../fixtures/generation.json";

function record(changes: Record<string, unknown> = {}) {
  return { ...structuredClone(journalRecord), ...changes };
}

async function storedGenerations(t: ReturnType<typeof backend>) {
  return await t.run(async (ctx) => await ctx.db.query("generations").collect());
}

test("create keeps every field of a journal record, and get returns it", async () => {
  const t = backend();
  const result = await t.mutation(api.generations.create, record());
  expect(result.created).toBe(true);
  const stored = await t.query(api.generations.get, { clientId: journalRecord.clientId });
  expect(stored).toMatchObject(journalRecord);
  expect(stored?.documents[0]).toEqual({
    name: "PO-4411.pdf", sha256: "9".repeat(64), engines: ["text"], pages: 3, pageCount: 3, edited: false,
  });
});

test("pushing the same record again adds nothing; a later copy updates the one document", async () => {
  const t = backend();
  const first = await t.mutation(api.generations.create, record());
  const again = await t.mutation(api.generations.create, record());
  expect(again).toEqual({ id: first.id, created: false });
  const checked = { syntax_ok: true, typecheck_ok: false, type_errors: [{ line: 3, column: 9, message: "TS2322" }] };
  await t.mutation(api.generations.create, record({ checks: checked }));
  const stored = await storedGenerations(t);
  expect(stored).toHaveLength(1);
  expect(stored[0].checks).toEqual(checked);
  expect(stored[0].prompt).toBe(journalRecord.prompt);
});

test("counts and times are float64 numbers, as Python ints arrive over JSON", async () => {
  const t = backend();
  await t.mutation(api.generations.create, record({ inputTokens: 1200, outputTokens: 0, createdAt: 1795718160123 }));
  // v.int64() would want a bigint, which the HTTP API's JSON format cannot carry.
  await expect(t.mutation(api.generations.create, record({ clientId: "b", inputTokens: 1200n }))).rejects.toThrow(
    /Expected `number`/,
  );
  await expect(t.mutation(api.generations.create, record({ clientId: "c", inputTokens: "1200" }))).rejects.toThrow(
    /Expected `number`/,
  );
  expect(await storedGenerations(t)).toHaveLength(1);
});

test("a record without the id its machine gave it is refused", async () => {
  const t = backend();
  await expect(t.mutation(api.generations.create, record({ clientId: "  " }))).rejects.toThrow(/clientId is empty/);
  expect(await storedGenerations(t)).toHaveLength(0);
});

test("recent lists by creation time, newest first, whatever order the pushes came in", async () => {
  const t = backend();
  const at = (minute: number) => Date.UTC(2026, 10, 26, 9, minute);
  // A machine that was offline pushes its older record last.
  await t.mutation(api.generations.create, record({ clientId: "b", createdAt: at(20), workspace: "Line 4" }));
  await t.mutation(api.generations.create, record({ clientId: "c", createdAt: at(30), workspace: "Plant 2" }));
  await t.mutation(api.generations.create, record({ clientId: "a", createdAt: at(10), workspace: "Plant 2" }));

  const ids = (docs: { clientId: string }[]) => docs.map((d) => d.clientId);
  expect(ids(await t.query(api.generations.recent, {}))).toEqual(["c", "b", "a"]);
  expect(ids(await t.query(api.generations.recent, { limit: 2 }))).toEqual(["c", "b"]);
  expect(ids(await t.query(api.generations.recent, { workspace: "Plant 2" }))).toEqual(["c", "a"]);
  expect(ids(await t.query(api.generations.recent, { workspace: "Nowhere" }))).toEqual([]);
  expect(ids(await t.query(api.generations.recent, { limit: 0 }))).toEqual(["c"]);
});

test("get answers null for an id Convex has never seen", async () => {
  const t = backend();
  expect(await t.query(api.generations.get, { clientId: "never-pushed" })).toBeNull();
});

test("images are references: a record from before images has none, an image without its hash is refused", async () => {
  const t = backend();
  const { images: _images, ...older } = record({ clientId: "older" });
  await t.mutation(api.generations.create, older);
  await t.mutation(api.generations.create, record());
  const stored = await t.query(api.generations.get, { clientId: journalRecord.clientId });
  expect(stored?.images?.[0]).toEqual({
    sha256: "7".repeat(64), name: "traveler.jpg", mediaType: "image/jpeg", width: 1500, height: 2000, bytes: 412345,
  });
  expect(stored?.conversation[0].images).toEqual(["7".repeat(64)]);
  const { sha256: _sha, ...unnamed } = journalRecord.images[0];
  await expect(t.mutation(api.generations.create, record({ clientId: "bad", images: [unnamed] }))).rejects.toThrow(/sha256/);
  expect(await storedGenerations(t)).toHaveLength(2);
});

test("a follow-up keeps how its answer was used; a parse that could not run leaves `parsed` out", async () => {
  const t = backend();
  expect(journalRecord.edit).toEqual({
    mode: "applied", changed: ["src/App.tsx"], reasks: ["SEARCH text not found"], parsed: true, parseNote: "",
  });
  const unparsed = { mode: "whole", changed: ["src/App.tsx"], reasks: [], parseNote: "checks unavailable" };
  await t.mutation(api.generations.create, record({ clientId: "w", edit: unparsed }));
  expect((await t.query(api.generations.get, { clientId: "w" }))?.edit).toEqual(unparsed);
  await expect(t.mutation(api.generations.create, record({ clientId: "x", edit: { mode: "applied" } }))).rejects.toThrow(
    /changed/,
  );
});

test("timeline lists a conversation's versions oldest first, forks and other conversations left out", async () => {
  const t = backend();
  const at = (minute: number) => Date.UTC(2026, 11, 7, 9, minute);
  const version = (clientId: string, minute: number, conversationId: string, kind: string, parentId?: string) =>
    record({ clientId, createdAt: at(minute), conversationId, kind, ...(parentId ? { parentId } : {}) });
  // Pushed out of order, as replicas do.
  await t.mutation(api.generations.create, version("edit", 20, "first", "edit", "first"));
  await t.mutation(api.generations.create, version("first", 10, "first", "answer"));
  await t.mutation(api.generations.create, version("fork", 30, "fork", "fork", "edit"));
  await t.mutation(api.generations.create, version("restore", 40, "first", "restore", "edit"));
  await t.mutation(api.generations.create, record({ clientId: "elsewhere", createdAt: at(15) }));

  const ids = (docs: { clientId: string; kind?: string }[]) => docs.map((d) => `${d.clientId}:${d.kind}`);
  expect(ids(await t.query(api.generations.timeline, { conversationId: "first" }))).toEqual([
    "first:answer", "edit:edit", "restore:restore",
  ]);
  expect(ids(await t.query(api.generations.timeline, { conversationId: "fork" }))).toEqual(["fork:fork"]);
  expect(await t.query(api.generations.timeline, { conversationId: "never-pushed" })).toEqual([]);
});

test("a record from before versions (no conversationId, no kind) is a conversation of its own", async () => {
  const t = backend();
  const { conversationId: _c, kind: _k, ...older } = record({ clientId: "older" });
  await t.mutation(api.generations.create, older);
  const found = await t.query(api.generations.timeline, { conversationId: "older" });
  expect(found.map((d: { clientId: string }) => d.clientId)).toEqual(["older"]);
  expect(found[0].kind).toBeUndefined();
});
