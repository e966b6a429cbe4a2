// placeholder replaced by the simulator build
process.exit(0);
