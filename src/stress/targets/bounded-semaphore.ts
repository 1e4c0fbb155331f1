/* Stress target `bounded-semaphore`: threading.BoundedSemaphore (see semaphore-target.ts). */
import { BoundedSemaphore } from '../../sync/semaphore.js';
import { semaphoreTarget } from './semaphore-target.js';

export default semaphoreTarget('bounded-semaphore', 'BoundedSemaphore', (permits) => new BoundedSemaphore(permits));
