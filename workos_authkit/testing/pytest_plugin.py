"""pytest plugin (entry point ``pytest11``): fixtures bound to a fresh FakeWorkOS. Filled in by the fake issue."""
