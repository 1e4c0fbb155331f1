export function registerTour(){}
