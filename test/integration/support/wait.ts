/** Polls until `check` passes or the time is up; for effects that happen after a response (async webhooks). */
export const eventually = async <T>(
  check: () => Promise<T>,
  { timeoutMs = 5_000, intervalMs = 50 } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
};

export const bodyOf = (delivery: unknown): { status?: string } => {
  const { body } = delivery as { body?: string };
  return body ? JSON.parse(body) : {};
};
