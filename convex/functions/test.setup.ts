/// <reference types="vite/client" />
import { convexTest } from "convex-test";
import schema from "./schema";

// The functions directory, _generated included (convex-test finds the root by it). Modules load
// only when a test calls one of their functions.
const modules = import.meta.glob("./**/*.*s");

export function backend() {
  return convexTest(schema, modules);
}
