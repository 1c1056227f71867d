using Company.Participant1;

var app = ParticipantApp.Build(args);
await app.RunAsync();
