import { defineConfig } from "vitest/config";

// convex-test runs the functions on an in-memory backend: no deployment, no network.
export default defineConfig({
  test: {
    environment: "edge-runtime",
    server: { deps: { inline: ["convex-test"] } },
  },
});
