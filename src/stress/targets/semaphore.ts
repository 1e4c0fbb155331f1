/* Stress target `semaphore`: threading.Semaphore (see semaphore-target.ts). */
import { Semaphore } from '../../sync/semaphore.js';
import { semaphoreTarget } from './semaphore-target.js';

export default semaphoreTarget('semaphore', 'Semaphore', (permits) => new Semaphore(permits));
