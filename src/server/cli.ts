#!/usr/bin/env node
/** The `lotse` command (the package's bin): serve, mint-advisor-token, check-config, audit-export, purge, webhooks, webhook-retry. */
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
