/* papernotes explorer: filled in by the explorer feature. */
