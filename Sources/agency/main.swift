import AgencyCLI

await AgencyCommand.runAsMain()
