#!/usr/bin/env node
// `npm run reconcile [-- --ahead SECONDS]`: runs the reconciler of a running
// `npm start` stack (PORT, default 3000), as the EventBridge schedule does in AWS.
const args = process.argv.slice(2);
const ahead = args.includes('--ahead') ? Number(args[args.indexOf('--ahead') + 1]) : 0;
const port = process.env.PORT ?? 3000;
try {
  const response = await fetch(`http://127.0.0.1:${port}/__local/reconcile?ahead=${ahead}`, {
    method: 'POST',
  });
  console.log(JSON.stringify(await response.json(), null, 2));
  process.exit(response.ok ? 0 : 1);
} catch {
  console.error(`no local stack on port ${port}; start it with npm start`);
  process.exit(1);
}
