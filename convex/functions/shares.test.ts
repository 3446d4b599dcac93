import { expect, test } from "vitest";
import { api } from "./_generated/api";
import { backend } from "./test.setup";
import journalRecord from "../fixtures/generation.json";

const TOKEN = "Vq3kZ7mN2pR8sT4wX6yA1bC5dE9fG0hJ";
const at = (day: number) => Date.UTC(2026, 10, day);
const link = (changes: Record<string, unknown> = {}) => ({
  token: TOKEN, generationId: journalRecord.clientId, public: false, createdAt: at(1), ...changes,
});

test("a link is kept once, found by its token, and listed with its generation's prompt", async () => {
  const t = backend();
  await t.mutation(api.generations.create, structuredClone(journalRecord));
  const made = await t.mutation(api.shares.create, link());
  const again = await t.mutation(api.shares.create, link());
  expect(made.created).toBe(true);
  expect(again).toEqual({ id: made.id, created: false });
  expect(await t.query(api.shares.get, { token: TOKEN })).toMatchObject(link());
  expect(await t.query(api.shares.get, { token: "x".repeat(32) })).toBeNull();
  const listed = await t.query(api.shares.list, {});
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ token: TOKEN, prompt: journalRecord.prompt });
});

test("a revocation from any machine is kept, and a late push of the live link does not undo it", async () => {
  const t = backend();
  await t.mutation(api.shares.create, link());
  await t.mutation(api.shares.create, link({ revokedAt: at(2) }));
  await t.mutation(api.shares.create, link()); // another replica's outbox, pushed late
  expect((await t.query(api.shares.get, { token: TOKEN }))?.revokedAt).toBe(at(2));
});

test("newest first, and a link whose generation has not arrived lists without a prompt", async () => {
  const t = backend();
  await t.mutation(api.shares.create, link({ token: "A".repeat(32), createdAt: at(1) }));
  await t.mutation(api.shares.create, link({ token: "B".repeat(32), createdAt: at(3), generationId: "not-pushed-yet" }));
  const listed = await t.query(api.shares.list, { limit: 10 });
  expect(listed.map((s: { token: string; prompt: string | null }) => [s.token[0], s.prompt])).toEqual([
    ["B", null],
    ["A", null],
  ]);
});

test("a token too short to be unguessable is refused", async () => {
  const t = backend();
  await expect(t.mutation(api.shares.create, link({ token: "abc" }))).rejects.toThrow(/128 random bits/);
});
