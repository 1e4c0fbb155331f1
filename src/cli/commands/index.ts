/*
 * Every CLI command, in the order `memplay --help` lists them. Each module
 * exports one function that adds its command to the program.
 */
import type { Command } from 'commander';
import { registerExplore } from './explore.js';
import { registerGil } from './gil.js';
import { registerList } from './list.js';
import { registerRun } from './run.js';
import { registerSim } from './sim.js';
import { registerStress } from './stress.js';
import { registerTour } from './tour.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerTour, registerList, registerRun, registerExplore, registerGil, registerSim, registerStress];
