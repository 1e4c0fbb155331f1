/*
 * How many processes a schedule of `memplay explore script.py` may have unless
 * --workers says otherwise (the main one included): a leaf module, so the CLI's
 * help can say it without loading the interpreter.
 */
export const SCRIPT_WORKERS = 5;
