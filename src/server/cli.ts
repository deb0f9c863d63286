#!/usr/bin/env node
/** The `lotse` command (the package's bin): serve, mint-advisor-token, check-config, audit-export, purge, webhooks, webhook-retry. */
import { createLotseServer } from './app/server.js';
import { main } from './cli/main.js';

const code = await main(process.argv.slice(2), createLotseServer);
if (code >= 0) process.exitCode = code;
