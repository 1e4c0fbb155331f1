// A module that loads fine but exports no scenario: `memplay run` must refuse it.
export default { name: 'not-a-scenario' };
