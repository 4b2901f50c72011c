// The app's one identity: the host uses it for storage and Application Insights, the code for
// Microsoft Graph. User-assigned, so its roles and Graph permission can be granted before the
// app first starts and survive a re-created app.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
