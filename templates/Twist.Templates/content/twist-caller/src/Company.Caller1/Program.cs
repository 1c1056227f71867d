using Company.Caller1;

var app = CallerApp.Build(args);
await app.RunAsync();
