// The command line's public surface: `main`, which bin/coverage-bot.js runs, and the version it prints.
export { main, programVersion } from './main.js';
