import { expect, test } from "vitest";
import { api } from "./_generated/api";
import { backend } from "./test.setup";

const at = (day: number) => Date.UTC(2026, 10, day);

test("create and list, oldest first", async () => {
  const t = backend();
  await t.mutation(api.workspaces.create, { clientId: "w2", name: "Line 4", createdAt: at(3) });
  const made = await t.mutation(api.workspaces.create, { clientId: "w1", name: "  Plant   2 ", createdAt: at(1) });
  expect(made).toMatchObject({ created: true, name: "Plant 2" });
  const listed = await t.query(api.workspaces.list, {});
  expect(listed.map((w: { name: string; createdAt: number }) => [w.name, w.createdAt])).toEqual([
    ["Plant 2", at(1)],
    ["Line 4", at(3)],
  ]);
});

test("a retried push and a second machine's same name both find the first workspace", async () => {
  const t = backend();
  const first = await t.mutation(api.workspaces.create, { clientId: "w1", name: "Plant 2", createdAt: at(1) });
  const retried = await t.mutation(api.workspaces.create, { clientId: "w1", name: "Plant 2", createdAt: at(1) });
  const other = await t.mutation(api.workspaces.create, { clientId: "w9", name: "plant 2", createdAt: at(2) });
  expect(retried).toEqual({ id: first.id, created: false, name: "Plant 2" });
  expect(other).toEqual({ id: first.id, created: false, name: "Plant 2" });
  expect(await t.query(api.workspaces.list, {})).toHaveLength(1);
});

test("empty and over-long names are refused", async () => {
  const t = backend();
  await expect(t.mutation(api.workspaces.create, { clientId: "w1", name: "   ", createdAt: at(1) })).rejects.toThrow(
    /name is empty/,
  );
  await expect(
    t.mutation(api.workspaces.create, { clientId: "w2", name: "x".repeat(41), createdAt: at(1) }),
  ).rejects.toThrow(/longer than 40/);
  expect(await t.query(api.workspaces.list, {})).toHaveLength(0);
});
